"""A frame that draws only the rows that changed, for the live screen's once-a-second redraw.

Textual's partial update draws every widget that overlaps the box around all
the changed regions, each one whole. A second on the floor now changes the
big clock alone (and the bar, when a half cell of it moves), but any frame
that changes places spread over the screen (a nudge, a key's answer on both
panes) would have that box nearly the whole screen: some twenty widgets
re-cut and re-filtered, line by line. Here a widget is drawn only where it
overlaps a changed region, and only those rows of it: the same cells come
out (every cell of a changed region is still drawn by the widgets that cover
it, front to back, as before), with a fraction of the work.

Any other frame (a full one, a screenshot, or a layout that moved much of
the screen, such as the cue's row appearing) is Textual's own.

A line can also be drawn over every widget (`draw_over`): the end-of-turn cue's
words, where the banner is about to show them. That frame changes no widget,
so it costs no restyle, no layout and no drawing beneath the line; the line
stays in every frame until `take_over_away`, and what lies under it is drawn
again in the next frame.
"""

from __future__ import annotations

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

MANY = 8  # changed regions beyond which nearly every widget is under one anyway


class RowsCompositor(Compositor):
    """Textual's compositor; its partial frames draw only the changed regions' rows of the widgets under them."""

    _changed: list[Region] | None = None
    over: tuple[Region, Strip] | None = None  # one line in front of every widget

    def draw_over(self, region: Region, strip: Strip) -> None:
        """Draw `strip` over `region` (one row) in this frame and every one after, until `take_over_away`."""
        self.take_over_away()
        self.over = (region, strip)
        self._dirty_regions.add(region)

    def take_over_away(self) -> None:
        if self.over is not None:
            self._dirty_regions.add(self.over[0])  # the widgets under it, in the next frame
            self.over = None

    def render_partial_update(self):
        self._changed = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._changed = None

    def _get_renders(self, crop: Region | None = None):
        in_front: list[Region] = []  # what is drawn so far, front to back
        if self.over is not None and (crop is None or crop.overlaps(self.over[0])):
            region, strip = self.over
            in_front.append(region)
            yield region, region, [strip]
        changed = self._changed
        if not changed or crop is None or len(changed) > MANY:
            yield from super()._get_renders(crop)  # a layout moved much of the screen: Textual's way is as quick
            return
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            if not visible:
                continue
            top = bottom = None
            for dirty in changed:
                cells = visible.intersection(dirty)
                if not cells or any(front.contains_region(cells) for front in in_front):
                    continue  # not under this region, or hidden there by a widget in front (it would never show)
                top = cells.y if top is None else min(top, cells.y)
                bottom = cells.bottom if bottom is None else max(bottom, cells.bottom)
            if top is None:
                continue
            in_front.append(visible)
            rows = Region(visible.x, top, visible.width, bottom - top)  # once, the rows of all its changed cells
            yield (region, rows,
                   widget.render_lines(Region(rows.x - region.x, rows.y - region.y, rows.width, rows.height)))
