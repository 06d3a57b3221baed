"""A frame that draws only the rows that changed, for the live screen's once-a-second redraw.

Textual's partial update draws every widget that overlaps the box around all
the changed regions, each one whole. A second on the floor changes four
small places spread over the screen (the big clock, the two panes' time
lines, the time together at the top right), so that box is nearly the whole
screen: some twenty widgets re-cut and re-filtered, line by line, where the
bare app's one Digits needs three. Here a widget is drawn only where it
overlaps a changed region, and only those rows of it: the same cells come
out (every cell of a changed region is still drawn by the widgets that cover
it, front to back, as before), with a fraction of the work.

Any other frame (a full one, a layout, a screenshot) is Textual's own.
"""

from __future__ import annotations

from textual._compositor import Compositor
from textual.geometry import Region


class RowsCompositor(Compositor):
    """Textual's compositor; its partial frames draw only the changed regions' rows of the widgets under them."""

    _changed: list[Region] | None = None

    def render_partial_update(self):
        self._changed = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._changed = None

    def _get_renders(self, crop: Region | None = None):
        changed = self._changed
        if not changed or crop is None:
            yield from super()._get_renders(crop)
            return
        in_front: list[list[Region]] = [[] for _ in changed]  # per changed region: what is drawn over it
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            visible = region.intersection(clip)
            if not visible:
                continue
            for dirty, drawn in zip(changed, in_front):
                cells = visible.intersection(dirty)
                if not cells or any(front.contains_region(cells) for front in drawn):
                    continue  # not under this region, or hidden there by a widget in front (it would never show)
                drawn.append(visible)
                rows = visible.intersection(Region(visible.x, dirty.y, visible.width, dirty.height))
                yield (region, rows,
                       widget.render_lines(Region(rows.x - region.x, rows.y - region.y, rows.width, rows.height)))
