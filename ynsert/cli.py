"""The ``ynsert`` command: a thin skin over the Python API with the same verbs.

ynsert rewrite story.txt --to third --name Mara --pronouns she
ynsert fill story.txt --set Y/N=Mara --set H/C=auburn -o mine.txt
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, NoReturn

import typer

# Typer 0.29 vendors click; its exceptions are only reachable here (typer is pinned).
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from ynsert.edits import Rewrite
from ynsert.formats import FormatError, Work, format_for, format_name, read_work, write_work
from ynsert.nlp import ModelMissing
from ynsert.profile import ProfileError, ReaderProfile, load_profile
from ynsert.pronouns import UnknownPronouns
from ynsert.rewrite import fill as fill_text
from ynsert.rewrite import rewrite as rewrite_text
from ynsert.source import InputError, read_bytes, write_atomic

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="ynsert: personalise reader-insert stories (Y/N, you → first or third person).",
)


def _version(value: bool) -> None:
    if value:
        from ynsert import __version__

        typer.echo(f"ynsert {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """ynsert: personalise reader-insert stories (Y/N, you → first or third person)."""


class Person(StrEnum):
    third = "third"
    first = "first"


class NamingPolicy(StrEnum):
    first = "first"
    smart = "smart"
    none = "none"


PathArg = Annotated[str, typer.Argument(help="Story file, or - for standard input.")]
OutOpt = Annotated[
    str | None, typer.Option("-o", "--output", help="Write here (atomically) instead of stdout.")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="Placeholder value, e.g. --set Y/N=Mara --set H/C=auburn."),
]
ProfileOpt = Annotated[
    str | None, typer.Option("--profile", help="Reader profile TOML (name, pronouns, values).")
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="txt, md, html or epub (default: from -o, else the input's)."),
]
ShowEditsOpt = Annotated[
    bool, typer.Option("--show-edits", help="List every edit (line:col old → new) on stderr.")
]


def fail(message: str, code: int = 1) -> NoReturn:
    raise typer.Exit(_report(message, code))


def note(message: str) -> None:
    typer.echo(f"ynsert: {message}", err=True)


@app.command()
def rewrite(
    path: PathArg,
    to: Annotated[Person | None, typer.Option("--to", help="Target person.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The reader's name.")] = None,
    pronouns: Annotated[
        str | None,
        typer.Option("--pronouns", help="she, he, they, xe, or subj/obj/det/pron/refl."),
    ] = None,
    plural_verbs: Annotated[
        bool | None,
        typer.Option("--plural-verbs/--singular-verbs", help="Verb agreement for the pronouns."),
    ] = None,
    names: Annotated[
        NamingPolicy | None, typer.Option("--names", help="When to use the name.")
    ] = None,
    values: SetOpt = None,
    profile: ProfileOpt = None,
    output: OutOpt = None,
    output_format: FormatOpt = None,
    show_edits: ShowEditsOpt = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite even a first-person story's 'you'.")
    ] = False,
) -> None:
    """Rewrite a second-person story into first or third person."""
    reader = _profile(profile, values)
    work = _read(path)
    try:
        result = rewrite_text(
            work.text,
            to=(to.value if to else reader.to),  # type: ignore[arg-type]
            name=name or reader.name,
            pronouns=pronouns or reader.pronouns,
            names=(names.value if names else reader.names),  # type: ignore[arg-type]
            values=reader.values,
            plural_verbs=plural_verbs if plural_verbs is not None else reader.plural_verbs,
            force=force,
        )
    except (UnknownPronouns, ValueError) as error:
        fail(str(error), 2)
    _emit(work, result, output, output_format, show_edits)


@app.command()
def fill(
    path: PathArg,
    values: SetOpt = None,
    profile: ProfileOpt = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Shorthand for --set Y/N=NAME.")
    ] = None,
    output: OutOpt = None,
    output_format: FormatOpt = None,
    show_edits: ShowEditsOpt = False,
) -> None:
    """Fill placeholders (Y/N, H/C …) and keep "you"."""
    reader = _profile(profile, values)
    if name:
        reader = reader.with_values({"Y/N": name})
    elif reader.name:
        reader = reader.with_values({"Y/N": reader.name, **reader.values})
    work = _read(path)
    _emit(work, fill_text(work.text, reader.values), output, output_format, show_edits)


JsonOpt = Annotated[bool, typer.Option("--json", help="Every item with its evidence, as JSON.")]


@app.command()
def tags(path: PathArg, as_json: JsonOpt = False) -> None:
    """AO3-style tags a writer can paste: rating, warnings, relationships, characters."""
    from ynsert.analysis import analyse, format_tags
    from ynsert.analysis.chapters import format_chapters, per_chapter

    work = _read(path)
    report = analyse(work.text, declared=work.metadata)
    chapters = per_chapter(report, work.chapter_ranges(), [c.title for c in work.chapters])
    if as_json:
        data = report.to_dict()
        data["chapters"] = [asdict(c) for c in chapters] if len(chapters) > 1 else []
        _print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [format_tags(report)]
    if len(chapters) > 1:
        lines += format_chapters(chapters)
    _print("\n".join(lines))


@app.command()
def check(path: PathArg, as_json: JsonOpt = False) -> None:
    """Writer-facing findings as PATH:LINE:COL: CODE message; exit status 1 if any."""
    from ynsert.analysis import analyse, check_exit_code, format_check

    work = _read(path)
    report = analyse(work.text, declared=work.metadata)
    shown = "<stdin>" if path == "-" else path
    if as_json:
        _print(json.dumps(report.to_dict()["findings"], ensure_ascii=False, indent=2))
    else:
        lines = format_check(report, shown)
        if lines:
            _print("\n".join(lines))
    raise typer.Exit(check_exit_code(report))


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _profile(profile_path: str | None, settings: list[str] | None) -> ReaderProfile:
    try:
        reader = load_profile(profile_path) if profile_path else ReaderProfile()
    except ProfileError as error:
        fail(str(error), 2)
    extra: dict[str, str] = {}
    for item in settings or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--set expects PLACEHOLDER=VALUE, got {item!r}", 2)
        extra[key.strip()] = value
    return reader.with_values(extra)


def _read(path: str) -> Work:
    """Any readable story file (text, Markdown, HTML, EPUB), sniffed from its content."""
    where = "standard input" if path == "-" else path
    try:
        return read_work(read_bytes(path), None if path == "-" else path)
    except InputError as error:
        fail(str(error))
    except FormatError as error:
        fail(f"{where}: {error}")


def _emit(
    work: Work, result: Rewrite, output: str | None, output_format: str | None, show_edits: bool
) -> None:
    """Write the personalised work in the format asked for: all or nothing."""
    for message in result.notes:
        note(message)
    if show_edits:
        _print_edits(result)
    try:
        fmt = format_name(output_format) if output_format else format_for(output) or work.format
        data = write_work(work.apply(result.edits), fmt)
    except FormatError as error:
        fail(str(error), 2 if output_format else 1)
    if output:
        try:
            write_atomic(output, data)
        except (InputError, OSError) as error:
            fail(str(error) if isinstance(error, InputError) else f"{output}: {error.strerror}")
    elif fmt == "epub" and sys.stdout.isatty():
        fail("an EPUB is binary: write it to a file with -o mine.epub", 2)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _print_edits(result: Rewrite) -> None:
    text = result.original
    for edit in sorted(result.edits):
        line = text.count("\n", 0, edit.start) + 1
        column = edit.start - (text.rfind("\n", 0, edit.start) + 1) + 1
        typer.echo(f"{line}:{column}\t{edit.old!r} → {edit.new!r}\t({edit.reason})", err=True)


def main() -> None:
    """Entry point: every user mistake ends as one line on stderr and a non-zero status."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as error:
        typer.echo(error.ctx.get_help() if error.ctx else "ynsert --help")
        code = 0
    except UsageError as error:
        hint = f" (see: {error.ctx.command_path} --help)" if error.ctx else ""
        code = _report(error.format_message().replace("\n", " ") + hint, 2)
    except ClickException as error:
        code = _report(error.format_message(), error.exit_code)
    except ModelMissing as error:
        code = _report(str(error), 1)
    except (KeyboardInterrupt, typer.Abort):
        code = _report("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()  # reader of our stdout went away (| head): not an error
        code = 0
    sys.exit(code if isinstance(code, int) else 0)


def _report(message: str, code: int) -> int:
    typer.echo(f"ynsert: error: {message}", err=True)
    return code


if __name__ == "__main__":
    main()
