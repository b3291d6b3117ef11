"""The ``ynsert`` command: a thin skin over the Python API with the same verbs.

ynsert rewrite story.txt --to third --name Mara --pronouns she
ynsert fill story.txt --set Y/N=Mara --set H/C=auburn -o mine.txt
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from ynsert.api import Personalised
    from ynsert.formats import Work

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
    second = "second"  # a first-person reader-insert told to "you"; else placeholders only


class SourcePerson(StrEnum):
    auto = "auto"
    second = "second"
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
    source: Annotated[
        SourcePerson | None,
        typer.Option("--from", help="The story's person (auto: detect a first-person insert)."),
    ] = None,
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
    character: Annotated[
        str | None,
        typer.Option("--character", help="Read a third-person story as this character."),
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
    """Rewrite a reader-insert (told to "you", or by "I") into first, second or third person."""
    overrides = dict(
        to=to.value if to else None,
        source=source.value if source else None,
        name=name,
        pronouns=pronouns,
        plural_verbs=plural_verbs,
        names=names.value if names else None,
        character=character,
    )
    _personalise(path, profile, values, overrides, output, output_format, show_edits, force)


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
    overrides = {"to": "second", "name": name}
    _personalise(path, profile, values, overrides, output, output_format, show_edits)


JsonOpt = Annotated[bool, typer.Option("--json", help="Every item with its evidence, as JSON.")]


@app.command()
def tags(
    path: PathArg,
    as_json: JsonOpt = False,
    warn_at: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            max=1.0,
            help="Also list the archive warnings that count for a reader warned from this "
            "probability up (0.1 to 1; default: each warning's own level).",
        ),
    ] = None,
) -> None:
    """AO3-style tags a writer can paste: rating, warnings, relationships, characters."""
    from ynsert import api

    work = _read(path)
    if as_json:
        _print(json.dumps(api.tags(work, warn_at=warn_at), ensure_ascii=False, indent=2))
        return
    _print(api.tags_text(work, warn_at=warn_at))


@app.command()
def check(path: PathArg, as_json: JsonOpt = False) -> None:
    """Writer-facing findings as PATH:LINE:COL: CODE message; exit status 1 if any."""
    from ynsert import api

    work = _read(path)
    lines = api.check_lines(work, "<stdin>" if path == "-" else path)
    if as_json:
        _print(json.dumps(api.check(work), ensure_ascii=False, indent=2))
    elif lines:
        _print("\n".join(lines))
    raise typer.Exit(int(bool(lines)))  # 1 when an error or a warning is printed


batch_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Archives: analyse, personalise or import a whole folder, zip, JSONL or Parquet.",
)
app.add_typer(batch_app, name="batch")

BatchInput = Annotated[str, typer.Argument(help="A folder, .zip, .jsonl or .parquet of works.")]
BatchOutput = Annotated[
    str, typer.Option("-o", "--output", help="Output folder (re-run the same to resume).")
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", min=1, help="Local worker processes (default: cores).")
]
SchedulerOpt = Annotated[
    str | None, typer.Option("--scheduler", help="An existing Dask scheduler, tcp://HOST:PORT.")
]
MemoryOpt = Annotated[
    str | None, typer.Option("--memory-per-worker", help="e.g. 2GB (default: an even share).")
]
ShardOpt = Annotated[int, typer.Option("--shard-size", min=1, help="Works per shard (task).")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per work.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Also write works.jsonl.")]
RestartOpt = Annotated[bool, typer.Option("--restart", help="Discard a previous run in -o.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="No progress and no summary table.")]


@batch_app.command("analyse")
def batch_analyse(
    source: BatchInput,
    output: BatchOutput,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    memory_per_worker: MemoryOpt = None,
    shard_size: ShardOpt = 50,
    timeout: TimeoutOpt = 600.0,
    jsonl: JsonlOpt = False,
    restart: RestartOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """One Parquet row per work: person, tense, warnings with evidence, cast, findings."""
    _batch("analyse", source, output, locals())


@batch_app.command("personalise")
def batch_personalise(
    source: BatchInput,
    output: BatchOutput,
    profile: ProfileOpt = None,
    text_column: Annotated[
        bool, typer.Option("--text-column", help="Also keep the personalised text in the rows.")
    ] = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    memory_per_worker: MemoryOpt = None,
    shard_size: ShardOpt = 50,
    timeout: TimeoutOpt = 600.0,
    jsonl: JsonlOpt = False,
    restart: RestartOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Personalise every work for the reader in --profile; files mirror the input tree."""
    _batch("personalise", source, output, locals())


@batch_app.command("import")
def batch_import(
    source: BatchInput,
    output: BatchOutput,
    library: Annotated[
        str | None, typer.Option("--library", help="The reading-room library to import into.")
    ] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    memory_per_worker: MemoryOpt = None,
    shard_size: ShardOpt = 50,
    timeout: TimeoutOpt = 600.0,
    jsonl: JsonlOpt = False,
    restart: RestartOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Analyse every work and add it to the reading-room library (needs ynsert.library)."""
    _batch("import", source, output, locals())


def _batch(verb: str, source: str, output: str, options: dict[str, Any]) -> None:
    """The batch commands share one call into ynsert.batch (imported here: --version stays fast)."""
    from ynsert import batch
    from ynsert.errors import YnsertError

    kept = ("workers", "scheduler", "memory_per_worker", "shard_size", "timeout", "jsonl")
    arguments = {key: options[key] for key in kept}
    arguments["restart"] = options["restart"]
    arguments["progress"] = not options["quiet"]
    for key in ("profile", "text_column", "library"):
        if key in options:
            arguments[key] = options[key]
    try:
        summary = batch.run(verb, source, output, **arguments)
    except YnsertError as error:
        fail(str(error))
    except KeyboardInterrupt:
        fail("interrupted; run the same command again to resume", 130)
    note(
        f"{summary['works']:,} works ({summary['failed']:,} failed), "
        f"{summary['computed_works']:,} computed in {summary['seconds']:.1f} s; "
        f"results in {output}/works.parquet"
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    database: Annotated[
        str | None,
        typer.Option(help="sqlite:///FILE or postgresql://… (default: the user data directory)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Web processes (default: the number of cores).", min=1, max=64),
    ] = None,
    job_workers: Annotated[
        int,
        typer.Option(
            help="Job worker processes for analyses, renders and imports (0: run "
            "`ynsert worker` yourself, e.g. on another machine).",
            min=0,
            max=64,
        ),
    ] = 1,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address of a reverse proxy whose X-Forwarded-For is believed (repeatable). "
            "Without it the header is ignored, so it cannot dodge the login limit."
        ),
    ] = None,
) -> None:
    """Start the reading room: the web library, its JSON API and the OPDS catalog."""
    import os

    from ynsert.errors import YnsertError
    from ynsert.web.serving import serve as run

    processes = workers or os.cpu_count() or 1
    try:
        run(host, port, database, processes, job_workers, trusted_proxy)
    except YnsertError as error:
        fail(str(error))
    except Exception as error:  # the database could not be reached or migrated
        fail(f"cannot open the library database: {' '.join(str(error).split())[:300]}")


@app.command()
def worker(
    database: Annotated[
        str | None,
        typer.Option(help="sqlite:///FILE or postgresql://… (default: the user data directory)."),
    ] = None,
    memory: Annotated[
        int | None, typer.Option(help="Stop a job that needs more than this many MB.", min=200)
    ] = None,
) -> None:
    """Run queued jobs (imports, analyses, renders) from the library database until stopped."""
    from ynsert.errors import YnsertError
    from ynsert.library.worker import run_worker

    try:
        run_worker(database, memory_mb=memory)
    except YnsertError as error:
        fail(str(error))
    except Exception as error:  # the database could not be reached or migrated
        fail(f"cannot open the library database: {' '.join(str(error).split())[:300]}")


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _personalise(
    path: str,
    profile_path: str | None,
    settings: list[str] | None,
    overrides: dict[str, Any],
    output: str | None,
    output_format: str | None,
    show_edits: bool,
    force: bool = False,
) -> None:
    """Read, personalise and write: all or nothing."""
    from ynsert import api

    values = _settings(settings)
    if output:
        _check_output(output)
    for option, given in (
        ("--name", overrides.get("name")),
        ("--pronouns", overrides.get("pronouns")),
        ("--character", overrides.get("character")),
    ):
        _utf8(option, given)
    work = _read(path)
    try:
        reader = api.ReaderProfile() if profile_path is None else api.load_profile(profile_path)
        fmt = api.output_format(output_format, output, work)
        result = api.personalise(work, reader, format=fmt, force=force, values=values, **overrides)
        data = result.data
    except api.ProfileError as error:
        fail(str(error), 2)
    except api.FormatError as error:
        fail(str(error), 2 if output_format else 1)
    for message in result.notes:
        note(message)
    if show_edits:
        _print_edits(result)
    _write(output, fmt, data)


def _settings(settings: list[str] | None) -> dict[str, str]:
    extra: dict[str, str] = {}
    for item in settings or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--set expects PLACEHOLDER=VALUE, got {item!r}", 2)
        extra[_utf8("--set", key.strip())] = _utf8("--set", value)
    return extra


def _utf8(option: str, value: str | None) -> str:
    """A command-line value; bytes that are not UTF-8 (kept by Python as surrogates) fail."""
    if value is None:
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        fail(f"{option}: the value is not valid UTF-8 text", 2)
    return value


def _read(path: str) -> Work:
    """Any readable story file (text, Markdown, HTML, EPUB), sniffed from its content."""
    from ynsert import api

    where = "standard input" if path == "-" else path
    try:
        return api.open_work(path)
    except api.InputError as error:
        fail(str(error))
    except api.FormatError as error:
        fail(f"{where}: {error}")


def _check_output(output: str) -> None:
    from ynsert.errors import InputError
    from ynsert.source import check_target

    try:
        check_target(output)
    except InputError as error:
        fail(str(error))


def _write(output: str | None, fmt: str, data: bytes) -> None:
    from ynsert.errors import InputError
    from ynsert.source import write_atomic

    if output:
        try:
            write_atomic(output, data)
        except InputError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{output}: {error.strerror}")
    elif fmt == "epub" and sys.stdout.isatty():
        fail("an EPUB is binary: write it to a file with -o mine.epub", 2)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _print_edits(result: Personalised) -> None:
    for edit, (line, column) in zip(result.edits, result.positions(), strict=True):
        typer.echo(f"{line}:{column}\t{edit.old!r} → {edit.new!r}\t({edit.reason})", err=True)


def main() -> None:
    """Entry point: every user mistake ends as one line on stderr and a non-zero status."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as error:  # click's usage errors, through Typer's public base
        code = _usage(error)
    except RuntimeError as error:  # ModelMissing: the set-up was not run
        if type(error).__name__ != "ModelMissing":
            raise
        code = _report(str(error), 1)
    except (KeyboardInterrupt, typer.Abort):
        code = _report("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()  # reader of our stdout went away (| head): not an error
        code = 0
    sys.exit(code if isinstance(code, int) else 0)


def _usage(error: typer.TyperException) -> int:
    """Click's errors (Typer's public base class): help for no arguments, else one line."""
    context = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError":
        typer.echo(context.get_help() if context else "ynsert --help")
        return 0
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    code = getattr(error, "exit_code", 2)
    hint = f" (see: {context.command_path} --help)" if context and code == 2 else ""
    return _report(" ".join(message.split()) + hint, code)


def _report(message: str, code: int) -> int:
    typer.echo(f"ynsert: error: {message}", err=True)
    return code


if __name__ == "__main__":
    main()
