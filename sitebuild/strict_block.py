r"""One way to write a Markdown block on this site: a strict pymdownx Block that fails loudly.

Every ``/// name`` block of the site that renders an element (``calculator``,
``index-of-calculators``, ``cases`` and ``case-sets``, ``references``, ``liquid-doses``,
``print-qr``) is a :class:`StrictBlock` registered by a :class:`StrictBlockExtension`. (The two
that expand to Markdown source before parsing, ``/// evidence-file`` and ``/// safety``, are
preprocessors, as an include is.) pymdownx renders a block it refuses (an option, bad YAML, an
unknown argument form) as plain text, and a header inside raw HTML never reaches it at all;
on this site either is a broken page, so the base adds, once for every block:

- **one header counter** (a preprocessor after fenced code is stashed, so that a header
  shown in code is documentation, not a block; before raw HTML is, so that a header inside an
  HTML element counts too) and **one rendered check** (the last tree processor): as many
  blocks rendered as headers counted, else a build error naming the page and the syntax. A
  header inside raw HTML without the ``markdown`` attribute is counted and never rendered;
  one inside an element with it is counted and rendered;
- **no option and no content**: ``OPTIONS`` is empty, any argument is accepted and judged in
  the block's own ``on_validate``, content is kept raw and refused in ``on_end`` with the
  block's :meth:`StrictBlock.content_refused` message.

A block says only what is its own: ``NAME``, its ``on_validate`` (the argument, where it may
appear), ``on_create`` (its element) and :meth:`StrictBlock.render` (filling it). Every error
is a :class:`~sitebuild.SiteBuildError` naming the page (:func:`sitebuild.context.where`).
:func:`block_arguments` finds the headers of one block in a page's source the same way, for
the build description (which page holds which calculator).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from sitebuild import SiteBuildError
from sitebuild.context import page_src
from sitebuild.context import where as _where

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from markdown import Markdown
    from pymdownx.blocks import BlocksProcessor

__all__ = ["StrictBlock", "StrictBlockExtension", "block_arguments", "header_re"]

_EXTENSION = "strict_extension"  # the block config key holding the registering extension
_FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


def header_re(*names: str) -> re.Pattern[str]:
    """A header of any of the blocks ``names`` at a line start: ``/// name``, ``//// name | x``."""
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(r"^ {0,3}/{3,}[ \t]*(?:" + alternatives + r")\b", re.MULTILINE)


def block_arguments(text: str, name: str) -> list[str]:
    """The argument of every ``/// name | <argument>`` header of ``text`` outside fenced code.

    Fenced code (backticks or tildes, closed by a fence of the same character at least as
    long) holds examples of the syntax, which the header counter never sees either.
    """
    header = re.compile(
        r"^ {0,3}/{3,}[ \t]*" + re.escape(name) + r"[ \t]*\|[ \t]*(?P<argument>[^ \t\n]+)"
    )
    found: list[str] = []
    fence = ""
    for line in text.splitlines():
        opening = _FENCE_RE.match(line)
        if fence:  # closed by a line of the same character only, at least as long
            closing = line.strip()
            if opening and set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening["fence"]
            continue
        match = header.match(line)
        if match:
            found.append(match["argument"])
    return found


class StrictBlock(Block):
    """A block that takes no option and no content (see the module docstring).

    Subclasses set ``NAME``, judge ``self.argument`` in ``on_validate``, return their element
    from ``on_create`` and fill it in :meth:`render`.
    """

    ARGUMENT = None  # any argument here; the block refuses a bad one loudly in on_validate
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    @property
    def page(self) -> str:
        """The source path of the page being rendered (``""`` when none is known)."""
        return page_src(self.md, self.config["page"])

    @property
    def extension(self) -> Any:  # noqa: ANN401  # the subclass of StrictBlockExtension that registered it
        """The extension that registered the block (its configs, its per-page state)."""
        return self.config[_EXTENSION]

    def where(self) -> str:
        """How errors name the page."""
        return _where(self.page)

    def refuse_argument(self, note: str = "") -> None:
        """Stop the build if the block was given an argument; ``note`` says what it does instead."""
        if self.argument:
            raise SiteBuildError(
                f"{self.where()}: the {self.NAME} block takes no argument (got "
                f"{self.argument!r}){note}. Write '/// {self.NAME}' then '///'."
            )

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Refuse an argument (a block that takes one judges it in its own ``on_validate``)."""
        self.refuse_argument()
        return True

    def content_refused(self) -> str:
        """The error's text when the block has content: what to write instead."""
        return f"the {self.NAME} block takes no content. Write '/// {self.NAME}' then '///'."

    def on_markdown(self) -> str:
        """Keep any content as raw text, so that ``on_end`` can refuse it."""
        return "raw"

    def on_end(self, block: ET.Element) -> None:
        """Refuse content, render, and count the block as rendered."""
        # pymdownx puts raw content in the block's text, or after its last child (a tail).
        content = (block.text or "") + "".join(child.tail or "" for child in block)
        if content.strip():
            raise SiteBuildError(f"{self.where()}: {self.content_refused()}")
        block.text = None
        for child in block:
            child.tail = None
        self.render(block)
        self.extension.rendered.append(block)

    def render(self, block: ET.Element) -> None:
        """Fill ``block``, the element ``on_create`` returned (nothing, by default)."""


class _HeaderCounter(Preprocessor):
    """Count the extension's block headers outside fenced code (stashed by now)."""

    def __init__(self, md: Markdown, extension: StrictBlockExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.headers = len(self.extension.header.findall("\n".join(lines)))
        self.extension.rendered.clear()  # a new document, even without a reset between
        return lines


class _RenderedCheck(Treeprocessor):
    """Fail when a counted header was not rendered as a block (pymdownx fell back to text).

    A tree processor, not a postprocessor: ``toc`` runs the postprocessors on each heading's
    text too, so a postprocessor would not see the whole page.
    """

    def __init__(self, md: Markdown, extension: StrictBlockExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        ext = self.extension
        ids = {id(element) for element in ext.rendered}
        rendered = sum(1 for element in root.iter() if id(element) in ids)
        if rendered != ext.headers:
            raise SiteBuildError(
                f"{_where(page_src(self.md, ext.getConfig('page')))}: {ext.headers} {ext.LABEL} "
                f"block header(s) but {rendered} {ext.LABEL}(s) rendered. {ext.SYNTAX} (Inside "
                "an HTML element, give the element the 'markdown' attribute.)"
            )


class _Blocks(BlocksExtension):
    """Registers the extension's blocks with pymdownx's shared blocks manager."""

    def __init__(self, parent: StrictBlockExtension) -> None:
        self.parent = parent
        super().__init__()

    def extendMarkdownBlocks(  # noqa: N802  # pymdownx's API name
        self,
        md: Markdown,  # noqa: ARG002  # required by the BlocksExtension signature
        block_mgr: BlocksProcessor,
    ) -> None:
        """Register every block with the extension's configuration."""
        configs = {**self.parent.block_configs(), _EXTENSION: self.parent}
        for block in self.parent.BLOCKS:
            block_mgr.register(block, configs)


class StrictBlockExtension(Extension):
    """Registers ``BLOCKS`` with the header counter and the rendered check (module docstring).

    Subclasses set ``BLOCKS``, ``LABEL`` (what the count message calls one block) and
    ``SYNTAX`` (how to write it), declare ``self.config`` with at least ``page`` before calling
    ``super().__init__``, and may override :meth:`block_configs`.
    """

    BLOCKS: ClassVar[tuple[type[StrictBlock], ...]] = ()
    LABEL: ClassVar[str] = ""
    SYNTAX: ClassVar[str] = ""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Set the configs from ``kwargs``; the count starts at zero."""
        super().__init__(**kwargs)
        self.header = header_re(*(block.NAME for block in self.BLOCKS))
        self.headers = 0
        self.rendered: list[ET.Element] = []

    def block_configs(self) -> dict[str, Any]:
        """The configuration every block of the extension gets (by default, the configs)."""
        return self.getConfigs()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802  # Markdown's API name
        """Register the counter, the check and the blocks."""
        md.registerExtension(self)
        name = f"sitebuild-{self.BLOCKS[0].NAME}"
        # After fenced code (25) is stashed, before raw HTML (20) is (see the module docstring).
        md.preprocessors.register(_HeaderCounter(md, self), f"{name}-count", 22)
        # Last of the tree processors: every block has been built by then.
        md.treeprocessors.register(_RenderedCheck(md, self), f"{name}-check", 0)
        _Blocks(self).extendMarkdown(md)

    def reset(self) -> None:
        """Between documents: the count starts again."""
        self.headers = 0
        self.rendered.clear()
