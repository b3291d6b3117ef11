// ynsert reading room: small enhancements; every page works without this file.
// - reading view: "h" toggles change highlighting, ←/→ (or j/k) move between chapters,
//   the scroll position is saved (debounced) and restored, so another device opens here too;
// - import: upload progress for large files.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]');

  function setupReading() {
    const story = document.getElementById("story");
    if (!story) return;
    const toggle = document.getElementById("toggle-changes");
    if (toggle) {
      toggle.addEventListener("click", function (event) {
        event.preventDefault();
        const on = document.body.classList.toggle("show-changes");
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        toggle.textContent = toggle.textContent.replace(on ? "Show" : "Hide", on ? "Hide" : "Show");
      });
      // A toggle button (role="button", aria-pressed) answers Space as well as Enter.
      toggle.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); toggle.click(); }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
      const go = function (id) { const link = document.getElementById(id); if (link) location.href = link.href; };
      if (event.key === "h" && toggle) toggle.click();
      else if (event.key === "ArrowRight" || event.key === "k") go("next-chapter");
      else if (event.key === "ArrowLeft" || event.key === "j") go("prev-chapter");
    });
    const saved = parseFloat(story.dataset.position || "0");
    if (saved > 0) {
      const top = story.offsetTop + saved * story.offsetHeight - 80;
      window.scrollTo(0, Math.max(0, top));
    }
    if (!story.dataset.profile || !csrf) return;
    let timer = null;
    const fraction = function () {
      const seen = window.scrollY + 80 - story.offsetTop;
      return Math.min(1, Math.max(0, seen / Math.max(1, story.offsetHeight)));
    };
    const save = function () {
      const body = new URLSearchParams({
        csrf: csrf.content, profile: story.dataset.profile,
        chapter: story.dataset.chapter, position: fraction().toFixed(4),
      });
      const mark = document.getElementById("bookmark-position");
      if (mark) mark.value = fraction().toFixed(4);
      fetch("/works/" + story.dataset.work + "/progress", {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }, keepalive: true,
      });
    };
    window.addEventListener("scroll", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    }, { passive: true });
  }

  function setupImport() {
    const form = document.getElementById("import-file");
    if (!form || !window.XMLHttpRequest) return;
    form.addEventListener("submit", function (event) {
      const input = form.querySelector('input[type="file"]');
      if (!input.files.length) return;
      event.preventDefault();
      const bar = document.getElementById("import-progress");
      const status = document.getElementById("import-status");
      bar.hidden = false;
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round(90 * e.loaded / e.total);
        status.textContent = "Uploading…";
      };
      request.upload.onload = function () { status.textContent = "Reading the work…"; };
      request.onload = function () {
        bar.value = 100;
        // A redirect to the new work: go there. Several files answer with the import page's
        // list of results (no redirect): show that page as it came.
        const moved = request.responseURL && request.responseURL !== form.action;
        if (moved && request.status < 400) location.href = request.responseURL;
        else { document.open(); document.write(request.responseText); document.close(); }
      };
      request.onerror = function () { status.textContent = "The upload failed; try again."; };
      request.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setupReading(); setupImport(); });
})();
