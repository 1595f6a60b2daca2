"""GUI subcommands: ``open`` (the default when no command is given) and ``screenshots``."""

from __future__ import annotations

from pathlib import Path

from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("open", help=t("打开图形界面（可指定工作区）", "open the app (optionally on a workspace)"))
    p.add_argument("file", type=Path, nargs="?")
    p.add_argument("--exit-when-ready", action="store_true",
                   help=t("窗口绘制完成后退出（用于检查）", "exit once the window is painted (for checks)"))
    p.add_argument("--screenshot", type=Path, metavar="PNG",
                   help=t("窗口绘制完成后保存截图并退出（用于检查）", "save a PNG screenshot once the window is painted, "
                          "then exit (for checks)"))
    p.add_argument("--lang", choices=["zh", "en"], help=t("界面语言", "interface language"))
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("screenshots", help=t("保存各界面的截图（中文和英文）",
                                              "save PNG screenshots of the main screens (Chinese and English)"))
    p.add_argument("file", type=Path)
    p.add_argument("outdir", type=Path)
    p.set_defaults(func=cmd_screenshots)


def quick_args(args: list[str]):
    """The arguments of a plain ``greendesk open`` (nothing, a workspace, ``--exit-when-ready``) as argparse
    would give them, read without building the argparse parser (about 5 ms of the app's start-up); None
    for anything else (another option, a value starting with "-", ``--help``, a repeat), which argparse then
    reads and, where wrong, explains."""
    from types import SimpleNamespace

    file, ready = None, False
    for a in args:
        if a == "--exit-when-ready" and not ready:
            ready = True
        elif not a.startswith("-") and file is None:
            file = Path(a)
        else:
            return None
    return SimpleNamespace(command="open", file=file, exit_when_ready=ready, screenshot=None, lang=None,
                           func=cmd_open)


def _lang_env(lang: str | None) -> None:
    import os

    if lang:
        os.environ["GREENDESK_UI_LANG"] = lang


def _headless_platform(always: bool) -> None:
    """Use Qt's offscreen platform for screenshots, and for checks on a machine without a display."""
    import os
    import sys

    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if always or no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _no_display() -> bool:
    import os
    import sys

    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")))


def cmd_open(args) -> int:
    _lang_env(getattr(args, "lang", None))
    if args.screenshot is not None:
        args.exit_when_ready = True
    if args.exit_when_ready:
        _headless_platform(False)
    elif _no_display():
        from greendesk.core.errors import UserError

        raise UserError("找不到图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY）。请在桌面环境中运行，"
                        "或使用命令行子命令（greendesk --help）。",
                        "No graphical display found (DISPLAY or WAYLAND_DISPLAY is not set). Run GreenDesk on a "
                        "desktop, or use the command-line subcommands (greendesk --help).")
    from greendesk.ui import startup  # (the core before Qt, garbage collection paused until painted)

    return startup.run(args.file, exit_when_ready=args.exit_when_ready, screenshot=args.screenshot,
                       headless=args.exit_when_ready)


def cmd_screenshots(args) -> int:
    _headless_platform(True)
    from greendesk.ui.screenshots import take_all

    files = take_all(args.file, args.outdir)
    for f in files:
        print(f)
    return 0
