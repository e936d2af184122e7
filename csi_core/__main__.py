"""The command line of CONTRACTS.md §2: ``python -m csi_core score|import|report``, and
the department's ``users``, ``audit``, ``backup`` and ``restore``.

It parses arguments and calls the library — the same ingest, store and formulas the
app uses. Exit status 0 on success, 2 for a refused file or bad arguments (reasons on
stderr, one per line), 1 for a database that cannot be used (damaged, locked, disk full
or read-only: the cause and what to do, one line) or an unexpected error (one line;
CSI_DEBUG=1 shows more).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from pathlib import Path

from csi_core.method import csi
from csi_core import i18n
from csi_core.method.grades import grade_of, round_half_up
from csi_core.store.ingest import ingest
from csi_core.reading.scales import SCALES, get_scale, parse_mapping
from csi_core.settings import DEFAULT_DB, default
from csi_core.store import backup
from csi_core.store.access import ROLES
from csi_core.store.db import Store, StoreError, UserError
from csi_core.store.faults import fault_message, is_fault
from csi_core.outputs.summary import to_contract


class Refused(Exception):
    """Bad input: the lines to print on stderr."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def parse_weights(text: str | None, what: str) -> dict[str, float] | None:
    """``"residential=70, commercial=30"`` → {"residential": 70.0, "commercial": 30.0}.

    Examples
    --------
    >>> parse_weights("民用户=70%，工商业户=30", "segment")
    {'民用户': 70.0, '工商业户': 30.0}
    """
    if not text:
        return None
    out: dict[str, float] = {}
    for part in re.split(r"[,，;；]", text):
        if not part.strip():
            continue
        name, sep, value = part.rpartition("=")
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            number = float("nan")
        if not sep or not name.strip() or not number >= 0:
            raise Refused([f"cannot read {what} weight {part.strip()!r}: use NAME=NUMBER, e.g. residential=70"])
        out[name.strip()] = number
    return out


def _load(args, store: Store):
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused([f"{args.file}: cannot read the file ({exc.strerror or exc})"]) from None
    scale = get_scale(args.scale)
    try:
        mapping = parse_mapping(args.map or "", scale)
    except ValueError as exc:
        raise Refused([str(exc)]) from None
    focus_mapping = _focus_mapping(args.map_focus)
    outcome = ingest(store, data, path.name, replace=getattr(args, "replace", False), scale=scale.name,
                     mapping=mapping, focus_mapping=focus_mapping, period=args.period,
                     min_answered_share=args.min_answered, who="cli")
    if not outcome.ok:
        raise Refused(outcome.messages(args.lang))
    return outcome


def _focus_mapping(text: str | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for part in re.split(r"[,，;；]", text or ""):
        if part.strip():
            left, _, right = part.partition("=")
            out[left.strip()] = right.strip() or None
    return out


def cmd_score(args) -> int:
    store = Store.open(":memory:")
    try:
        outcome = _load(args, store)
        counts = store.counts()
        weights = csi.Weights(parse_weights(args.segment_weights, "segment"),
                              _items(parse_weights(args.item_weights, "item")))
        try:
            results = csi.compute(counts, weights, args.scale)
        except ValueError as exc:
            raise Refused([str(exc)]) from None
        periods = None
        if args.period:
            from csi_core.reading.periods import normalize_period

            wanted = normalize_period(args.period)
            if wanted not in results.periods:
                raise Refused([f"period {args.period} is not in the file (found: {', '.join(results.periods)})"])
            periods = [wanted]
        summary = to_contract(counts, results, periods, args.lang,
                              questionnaires=lambda period: store.questionnaires(counts, period),
                              competitors=store.competitor_counts(counts))
        _add_complaints(args, summary, results)
        # what the reader did (title rows skipped…), then what the computation did
        summary["notes"] = [n.message(args.lang) for n in outcome.report.notes] + summary["notes"]
    finally:
        store.close()
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        print(format_table(summary, args.lang))
    return 0


def _add_complaints(args, summary: dict, results) -> None:
    """The quarterly complaint analysis of each period (field ``complaints``) when the
    workbook has a complaints sheet; its problems refuse the file like any other cell."""
    import datetime as dt

    import pandas as pd

    from csi_core import settings
    from csi_core.method import complaints as cm
    from csi_core.reading import complaints as complaint_sheet
    from csi_core.reading.problems import WorkbookRefused

    name = Path(args.file).name
    try:
        parsed = complaint_sheet.read(Path(args.file).read_bytes(), name, own=False)
    except WorkbookRefused as refused:
        raise Refused([p.message(args.lang, name) for p in refused.problems]) from None
    if parsed is None:
        return
    if parsed.problems:
        raise Refused([p.message(args.lang, name) for p in parsed.problems])
    table = pd.DataFrame(list(parsed.records))
    due = int(settings.default("complaint_due_days"))
    for period, entry in summary["periods"].items():
        p = results.period_index(period)
        entry["complaints"] = cm.analysis(table, period, dt.date.today(), due, cm.pooled_item_scores(results, p))


def _items(weights: dict[str, float] | None) -> dict[str, dict[str, float]] | None:
    return {csi.ALL_SEGMENTS: weights} if weights else None


def format_table(summary: dict, lang: str = "en") -> str:
    """A plain-text view of the JSON summary, one period after another: every score with
    its 95 % interval (± half its width) and every change marked significant (*) or noise."""
    lines = []
    for period, res in summary["periods"].items():
        csi_text = "—" if res["csi"] is None else f"{round_half_up(res['csi']):.1f}"
        grade = "" if res["csi"] is None else i18n.t(f"grade.{grade_of(res['csi']).key}", lang)
        r = res["responses"]
        lines.append(f"{period}  CSI {csi_text}{_pm(res.get('ci95'))}{_change(res.get('change'))}  {grade}   "
                     f"returned {r['returned']}, valid {r['valid']}, invalid {r['invalid']}")
        for seg, s in res["segments"].items():
            lines.append(f"  {seg:<16} CSI {round_half_up(s['csi']):6.1f}{_pm(s.get('ci95'))}"
                         f"{_change(s.get('change'))}  weight {100 * res['segment_weights'][seg]:5.1f} %"
                         f"  valid {s['valid']}")
            for item, it in s["items"].items():
                lines.append(f"      {item:<20} {100 * it['score']:6.1f} %{_pm(it.get('ci95'), 100)}"
                             f"{_change(it.get('change'), 100)}  weight {100 * it['weight']:5.1f} %  n {it['n']}")
        for cust, c in res["customers"].items():
            lines.append(f"  customer {cust:<24} CSI {round_half_up(c['csi']):6.1f}{_pm(c.get('ci95'))}"
                         f"  valid {c['valid']}")
        for action in res["actions"]:
            lines.append("  ACTION " + ", ".join(f"{k}={v}" for k, v in action.items()))
        for name, c in (res.get("competitors") or {}).items():
            value = "—" if c["csi"] is None else f"{round_half_up(c['csi']):6.1f}"
            lines.append(f"  competitor {name:<22} CSI {value}  valid {c['valid']}"
                         + ("  (fewer than 10)" if c["below_minimum"] else ""))
    lines += [f"note: {n}" for n in summary.get("notes", [])]
    return "\n".join(lines)


def _pm(ci95, scale: float = 1.0) -> str:
    """" ± 3.4" from an interval [lo, hi]; "" without one.

    >>> _pm([57.2, 64.0]), _pm(None), _pm([0.66, 0.83], 100)
    (' ± 3.4', '', ' ± 8.5')
    """
    if not ci95 or ci95[0] is None or ci95[1] is None:
        return ""
    return f" ± {round_half_up(scale * (ci95[1] - ci95[0]) / 2):.1f}"


def _change(change, scale: float = 1.0) -> str:
    """"  +5.1* vs 2026Q1" (* = significant at 95 %), "" without a change.

    >>> _change({"from": "2026Q1", "delta": 5.05, "significant": True}), _change(None)
    ('  +5.1* vs 2026Q1', '')
    """
    if not change or change.get("delta") is None:
        return ""
    star = "*" if change.get("significant") else ""
    return f"  {round_half_up(scale * change['delta']):+.1f}{star} vs {change['from']}"


def _open_db(path: str) -> Store:
    """The app's database; a fault (locked, damaged, newer) is a :class:`StoreError` that
    :func:`main` says in one line."""
    return Store.open(path)


def cmd_import(args) -> int:
    store = _open_db(args.db)
    try:
        outcome = _load(args, store)
    finally:
        store.close()
    res = outcome.imported
    line = i18n.tn("cli.imported", res.rows, args.lang, rows=res.rows, valid=res.valid,
                   periods=i18n.join(res.periods, args.lang), upload=res.upload_id)
    if res.replaced:
        line += i18n.t("cli.replaced", args.lang, periods=i18n.join(res.replaced, args.lang))
    if res.competitor:
        line += i18n.t("cli.competitors", args.lang, n=res.competitor)
    print(line)
    return 0


def cmd_report(args) -> int:
    from csi_core.outputs import report, report_files

    pack = Path(args.out).suffix.lower() == ".pptx"  # the meeting pack: the agenda, not the report
    fmt = "pptx" if pack else report_files.format_of(args.out)
    if fmt is None:  # before the database is opened: nothing is read or written
        raise Refused([i18n.t("cli.out_extension", args.lang, ext=Path(args.out).suffix or "''")])
    if args.review is not None and not pack:
        raise Refused([i18n.t("meeting.cli.review_pptx", args.lang)])
    store = _open_db(args.db)
    try:
        if pack:
            data = _meeting_pack(store, args)
        elif store.is_empty():
            raise Refused([f"the database {args.db} holds no responses: import a workbook first"])
        else:
            try:
                data = report_files.make(report.build(store, args.period, args.lang, branches=args.branches), fmt,
                                         appendix=args.appendix)
            except report.ReportError as exc:
                raise Refused([str(exc)]) from None
    finally:
        store.close()
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out}")
    return 0


def _password(args) -> str:
    """The new password: one line of stdin with ``--password-stdin``, else asked twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise Refused(["the two passwords differ; nothing changed"])
    return first


def cmd_users(args) -> int:
    store = _open_db(args.db)
    try:
        if args.action == "list":
            table = store.users()
            for row in table.itertuples():
                print(f"{row.name}\t{row.role}\t{row.created_at:%Y-%m-%d %H:%M}")
            if table.empty:
                print("no users: the app runs open, on this computer only (127.0.0.1)")
            return 0
        if args.action == "add":
            if not args.role:
                raise Refused([f"users add needs --role ({', '.join(ROLES)})"])
            existed = store.role_of(args.name) is not None
            password = _password(args) if not existed or args.password_stdin or args.new_password else None
            try:
                store.add_user(args.name, args.role, password, who="cli")
            except UserError as exc:
                raise Refused([i18n.t(f"cli.{exc.code}", args.lang, **exc.params)]) from None
            print(f"{'changed' if existed else 'added'} {args.name.strip()} ({args.role})")
            return 0
        try:
            removed = store.remove_user(args.name, who="cli")
        except UserError as exc:
            raise Refused([i18n.t(f"cli.{exc.code}", args.lang, **exc.params)]) from None
        if not removed:
            raise Refused([f"no user named {args.name}"])
        print(f"removed {args.name}")
        return 0
    finally:
        store.close()


def cmd_audit(args) -> int:
    store = _open_db(args.db)
    try:
        rows = store.audit(limit=args.limit, who=args.who, what=args.what, since=args.since, text=args.grep)
    finally:
        store.close()
    for row in rows.iloc[::-1].itertuples():  # oldest first, like a log
        print(f"{row.ts:%Y-%m-%d %H:%M:%S}\t{row.who}\t{row.what}\t{row.detail}")
    return 0


def cmd_backup(args) -> int:
    store = _open_db(args.db)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".part")
    try:
        manifest = backup.write_backup(store, tmp, who="cli")
        os.replace(tmp, out)
    finally:
        store.close()
        if tmp.exists():
            tmp.unlink()
    tables = sum(1 for e in manifest["entries"].values() if "table" in e)
    files = sum(1 for e in manifest["entries"].values() if "upload" in e)
    print(f"wrote {args.out}: {tables} tables, {files} uploaded files")
    return 0


def cmd_restore(args) -> int:
    try:
        manifest = backup.restore_backup(args.file, args.db, overwrite=args.overwrite, who="cli")
    except backup.BackupError as exc:
        raise Refused([i18n.t(f"cli.{exc.code}", args.lang, file=args.file, db=args.db, detail=exc.detail)]) from None
    print(f"restored {args.file} (backup of {manifest['created_at']}) into {args.db}")
    return 0


def _meeting_pack(store: Store, args) -> bytes:
    """The meeting pack: a kept review as it was shown (``--review``), else the agenda of
    the period built now, with the decisions of its open meeting if there is one."""
    from csi_core.outputs import meeting, pptx
    from csi_core.store import reviews

    if args.review is not None:
        try:
            kept = store.review(args.review)
        except reviews.ReviewError:
            raise Refused([i18n.t("meeting.cli.no_review", args.lang, id=args.review)]) from None
        if not kept.closed:
            raise Refused([i18n.t("meeting.cli.review_open", args.lang, id=args.review)])
        return pptx.meeting_pptx(kept.agenda, args.lang)
    try:
        agenda = meeting.build_agenda(store, _period(args.period), lang=args.lang)
    except meeting.AgendaError as exc:
        raise Refused([str(exc)]) from None
    running = store.reviews(status="open")
    running = running[running.period == agenda["period"]]
    if len(running):
        review_id = int(running.id.iloc[0])
        agenda = meeting.with_decisions(agenda, store.review_decisions(review_id),
                                        store.review(review_id).attendees)
    return pptx.meeting_pptx(agenda, args.lang)


def _period(text: str | None) -> str | None:
    from csi_core.reading.periods import normalize_period

    return (normalize_period(text) or text) if text else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m csi_core", description="Customer-satisfaction index (CSI) tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    def file_options(p):
        p.add_argument("file", metavar="FILE.xlsx")
        p.add_argument("--period", help="the period of a file without a period column; with score: the period shown")
        p.add_argument("--scale", default="default", choices=list(SCALES), help="answer coefficients")
        p.add_argument("--map", help='meaning of values no rule knows, e.g. "好=4, 差=2, 其他=NA"')
        p.add_argument("--map-focus", help='focus options no rule knows, e.g. "其他=" (ignore) or "气质=燃气质量"')
        p.add_argument("--min-answered", type=float, default=default("min_answered_share"), help="valid only if answered ≥ this share of items")

    score = sub.add_parser("score", help="score a workbook (nothing is stored)")
    file_options(score)
    score.add_argument("--segment-weights", help='e.g. "residential=70,commercial=30"')
    score.add_argument("--item-weights", help='relative importances, e.g. "燃气质量=3,服务=1"')
    score.add_argument("--format", choices=("json", "table"), default="table")
    imp = sub.add_parser("import", help="import a workbook into the app's database")
    file_options(imp)
    imp.add_argument("--db", default=os.environ.get("CSI_DB", DEFAULT_DB))
    imp.add_argument("--replace", action="store_true", help="replace periods already stored (kept in the archive)")
    rep = sub.add_parser("report", help="write the meeting report (.xlsx, .pdf or .html, by --out's extension) "
                                           "or the meeting pack (.pptx)")
    rep.add_argument("--db", default=os.environ.get("CSI_DB", DEFAULT_DB))
    rep.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.pdf|FILE.html|FILE.pptx",
                     help="the report by its extension, or with .pptx the meeting pack (PowerPoint)")
    rep.add_argument("--period")
    rep.add_argument("--appendix", action="store_true",
                     help="PDF: add customer detail, the full action log and comments to the management summary")
    rep.add_argument("--review", type=int, help="with .pptx: a kept review (its id), as it was shown, with its minutes")
    rep.add_argument("--branches", action="store_true",
                     help="add a section per branch (its CSI, segments, items at or below 70 %%) when two or more "
                          "branches are stored")
    users = sub.add_parser("users", help="who may sign in to the app, with which role")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="add a user, or change one's role")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    add.add_argument("--new-password", action="store_true", help="an existing user: also set a new password")
    users_sub.add_parser("list", help="the users and their roles")
    remove = users_sub.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    aud = sub.add_parser("audit", help="print the audit trail, oldest first")
    aud.add_argument("--who")
    aud.add_argument("--what", help="a kind of change: import, replace, weights, action, user_added…")
    aud.add_argument("--since", help="a day or a time, e.g. 2026-12-01")
    aud.add_argument("--grep", help="text the change mentions")
    aud.add_argument("--limit", type=int, default=1000)
    bak = sub.add_parser("backup", help="every table and every uploaded file in one zip")
    bak.add_argument("--out", required=True, metavar="FILE.zip")
    res = sub.add_parser("restore", help="a backup into a new database file")
    res.add_argument("file", metavar="FILE.zip")
    res.add_argument("--db", required=True, metavar="NEW.duckdb")
    res.add_argument("--overwrite", action="store_true", help="replace an existing database file")
    for p in (aud, bak, *(users_sub.choices.values())):
        p.add_argument("--db", default=os.environ.get("CSI_DB", DEFAULT_DB))
    for p in (score, imp, rep, aud, bak, res, *(users_sub.choices.values())):
        p.add_argument("--lang", choices=i18n.LANGS, default="en")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands = {"score": cmd_score, "import": cmd_import, "report": cmd_report, "users": cmd_users,
                "audit": cmd_audit, "backup": cmd_backup, "restore": cmd_restore}
    try:
        return commands[args.command](args)
    except Refused as refused:
        for line in refused.lines:
            print(line, file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped reading (`… | head`): nothing to say to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's exit-time flush would fail again
        return 1
    except Exception as exc:  # a bug, not bad input: still no traceback unless asked
        if os.environ.get("CSI_DEBUG"):
            raise
        if is_fault(exc):  # the database or its disk: the cause and what to do, one line
            print(fault_message(exc, getattr(args, "lang", "en"), getattr(args, "db", "") or DEFAULT_DB),
                  file=sys.stderr)
            return 1
        if isinstance(exc, StoreError):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
