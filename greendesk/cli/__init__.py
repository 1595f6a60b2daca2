"""The ``greendesk`` command: no arguments opens the GUI; subcommands expose the core.

Each area registers its subcommands from its own module (``register(subparsers)``);
handlers import heavy libraries lazily so that starting the GUI stays fast.
Exit codes: 0 ok, 1 user error (one line, no traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from greendesk.core.errors import Cancelled, UserError
from greendesk.core.i18n import t

# Modules under greendesk.cli that contribute subcommands, in help order.
COMMAND_MODULES = ["workspace_cmds", "scheme_cmds", "meter_cmds", "register_cmds", "history_cmds", "package_cmds", "review_cmds",
                   "review_note_cmds", "declaration_cmds",
                   "annual_cmds", "quota_cmds", "compare_cmds", "gui_cmds"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage error: exit 2 with a one-line reason
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {t('用法错误', 'usage error')}: {message}\n")


def build_parser(modules: list[str] | None = None) -> argparse.ArgumentParser:
    from greendesk import __version__

    parser = _Parser(
        prog="greendesk",
        description=t("GreenDesk 绿色工厂自评价。不带参数运行时打开图形界面。",
                      "GreenDesk green factory self-assessment. Run without arguments to open the app."),
    )
    parser.add_argument("--version", action="version", version=f"greendesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules or COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"greendesk.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"greendesk.cli.{name}":
                continue
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Text from files is data, not terminal commands: every line printed, by whichever module, has its
    # control characters and bidi overrides written as \uXXXX (JSON output stays valid: the same escapes).
    from greendesk.core.textsafety import EscapingWriter

    out, err = sys.stdout, sys.stderr
    # (None in a windowed build without a console: print() must stay a no-op there)
    sys.stdout, sys.stderr = (EscapingWriter(s) if s is not None else None for s in (out, err))
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        argv = ["open"]
    args = None
    if argv[0] == "open":  # a plain launch of the app is read without building a parser (5 ms of start-up)
        from greendesk.cli.gui_cmds import quick_args

        args = quick_args(argv[1:])
    if args is None:
        # Opening the app needs only its own subcommand: building all ~25 subparsers costs ~25 ms of start-up.
        parser = build_parser(["gui_cmds"] if argv[0] == "open" else None)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
    try:
        rc = args.func(args)
    except UserError as e:
        print(f"greendesk: {e.message()}", file=sys.stderr)
        return 1
    except Cancelled:
        print(t("greendesk: 已取消，未写入任何文件。", "greendesk: cancelled; nothing was written."), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:      # the file system said no (missing folder, permissions, disk full): one line, no traceback
        print(f"greendesk: {_os_error_text(e)}", file=sys.stderr)
        return 1
    return int(rc or 0)


def _os_error_text(e: OSError) -> str:
    """One line saying what the file system refused, and what to do."""
    import errno
    from pathlib import Path

    name = e.filename
    if name is not None and not Path(name).parent.exists():
        return t(f"文件夹 {Path(name).parent} 不存在。", f"The folder {Path(name).parent} does not exist.")
    where_zh = f"{name}：" if name is not None else ""
    where_en = f"{name}: " if name is not None else ""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return t(f"{where_zh}磁盘已满（或超出配额），未能写入。请释放空间或换一个位置后重试；已有的文件没有损坏。",
                 f"{where_en}the disk is full (or over quota); nothing could be written. Free some space or choose "
                 "another place and try again; existing files are not damaged.")
    if e.errno == errno.EROFS:
        return t(f"{where_zh}位于只读的位置（如写保护的 U 盘或只读共享），无法写入。请选择可写的文件夹，或先把文件复制过去。",
                 f"{where_en}it is on a read-only medium (a write-protected USB stick or a read-only share). "
                 "Choose a writable folder, or copy the file there first.")
    if e.errno in (errno.EACCES, errno.EPERM):
        return t(f"{where_zh}没有访问权限。请检查该文件及其文件夹的权限，或换一个自己的文件夹。",
                 f"{where_en}permission denied. Check the permissions of the file and its folder, or use a folder "
                 "of your own.")
    if e.errno == errno.ENOENT:
        return t(f"找不到 {name}。", f"{name} was not found.") if name is not None else (e.strerror or str(e))
    if e.errno == errno.EIO:
        return t(f"{where_zh}读写磁盘时出错。请检查磁盘或 U 盘的连接后重试。",
                 f"{where_en}the disk reported a read/write error. Check the disk or USB stick and try again.")
    what = e.strerror or str(e)
    return t(f"无法访问 {name}：{what}", f"Cannot access {name}: {what}") if name is not None else what
