"""The Typer classes the `eventwire` command is built from: Click-style help, quiet end on a closed stdout.

Typer renders every parameter's Python type as its help metavar (`--quiet <bool>`, `<list[str]>`,
`{directory}` for a required argument) and gives no hook to choose the parameter classes. `Command`
and `Group` therefore re-class the parameters they hold to subclasses that render them the Click way:
no metavar on flags, `PATH`/`FILE`/`DIR` for paths, `INTEGER`, `TEXT`, and `PATH...` for a list
argument, which usage shows as `[PATH]...` (an explicit `metavar=` wins).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from eventwire.terminal import quiet_on_closed_stdout

_TYPE_METAVARS: dict[Any, str] = {int: "INTEGER", float: "NUMBER", str: "TEXT", dt.datetime: "DATETIME"}


def value_metavar(param: TyperOption | TyperArgument) -> str:
    """The Click-style name of one value of `param`: its choices, PATH/FILE/DIR, INTEGER, NUMBER or TEXT."""
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        return "|".join(str(getattr(choice, "value", choice)) for choice in descriptor.choices or ())
    annotation = get_args(descriptor.annotation)[0] if descriptor.is_list else descriptor.annotation
    if descriptor.is_path or (isinstance(annotation, type) and issubclass(annotation, Path)):
        return descriptor.path_type.upper()
    return _TYPE_METAVARS.get(annotation, "VALUE")


class _Option(TyperOption):
    """An option whose help shows no metavar for a flag, else its `metavar` or Click-style type name."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:  # noqa: ARG002 - Typer's signature
        if self.is_flag or self.count:
            return None
        return self.metavar if self.metavar is not None else value_metavar(self)


class _Argument(TyperArgument):
    """An argument listed by name, with its metavar (`PATH...`) as type and in usage (`DIR`, `[PATH]...`)."""

    @property
    def display_name_raw(self) -> str:
        return self.name or ""

    def get_error_hint(self) -> str:
        return f"'{self.metavar}'"

    def display_type_rich(self, ctx: typer.Context) -> str | None:  # noqa: ARG002 - Typer's signature
        return f"{self.metavar}..." if self.nargs != 1 else self.metavar

    def _usage_display_name(self) -> str:
        name = self.metavar if self.required else f"[{self.metavar}]"
        return f"{name}..." if self.nargs != 1 else f"{name}"


def _click_style(params: list[Any]) -> list[Any]:
    """`params`, re-classed in place to render their help the Click way (idempotent)."""
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.__class__ = _Argument
            if param.metavar is None:
                path_like = param.type_descriptor.is_path
                param.metavar = value_metavar(param) if path_like else (param.name or "value").upper()
    return params


class Command(TyperCommand):
    """A command with Click-style help that ends quietly when the reader of its stdout goes away."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _click_style(super().get_params(ctx))

    def invoke(self, ctx: typer.Context) -> Any:
        with quiet_on_closed_stdout():
            return super().invoke(ctx)


class Group(TyperGroup):
    """A group of commands with Click-style help for its own options."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _click_style(super().get_params(ctx))


class App(typer.Typer):
    """A Typer application whose groups and commands are `Group` and `Command` unless told otherwise."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(cls=Group, **settings)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **settings: Any) -> Any:
        return super().command(name, cls=cls or Command, **settings)
