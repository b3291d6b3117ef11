// The API page: Swagger UI (vendored in static/swagger/) over /api/openapi.json.
// A file of its own because the CSP allows no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const holder = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: holder.dataset.url,
    domNode: holder,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
