"""Server-side SVG charts: the same markup on the page and in the PDF (no JavaScript, no CSS
needed: presentation attributes only, so CSP without unsafe-inline is satisfied).

Every function returns a SafeString holding one <svg> with role="img" and a <title>; labels are
escaped. Values are plain numbers; the caller formats units into `value_labels` when needed.
"""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997")
TEXT = 'font-family="DejaVu Sans, sans-serif" font-size="12" fill="#212529"'


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every label is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") if isinstance(value, float) else str(value)


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    max_value: float | None = None,
    value_labels: Sequence[str] | None = None,
    width: int = 640,
    label_width: int = 220,
    value_width: int = 70,
) -> SafeString:
    """Horizontal bars, one row per (label, value); `value_width` is the room kept right of the bars
    for the value labels."""
    row, top = 26, 8
    scale_max = max_value or max((v for _, v in items), default=0) or 1
    bar_space = width - label_width - value_width
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = max(0.0, min(value, scale_max)) / scale_max * bar_space
        shown = value_labels[i] if value_labels else _fmt(value)
        body.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" {TEXT}>{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_space}" height="16" fill="#e9ecef"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + bar_space + 6}" y="{y + 15}" {TEXT}>{escape(shown)}</text>'
        )
    return _svg(width, top * 2 + row * max(len(items), 1), title, body)


def progress_chart(title: str, items: Sequence[tuple[str, float, float]], **kwargs) -> SafeString:
    """Progress of (label, value, target) as bars scaled to the target, labelled "value / target (pct)"."""
    percents, labels = [], []
    for _, value, target in items:
        pct = (value / target * 100) if target else 0.0
        percents.append(pct)
        labels.append(f"{_fmt(value)} / {_fmt(target)} ({_fmt(round(pct, 1))}%)" if target else f"{_fmt(value)} / —")
    rows = [(label, pct) for (label, _, _), pct in zip(items, percents, strict=True)]
    return bar_chart(title, rows, max_value=100, value_labels=labels, **kwargs)


def grouped_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    max_value: float,
    width: int = 640,
    label_width: int = 200,
    labels_above: bool = False,
) -> SafeString:
    """For each category one bar per series (e.g. entry vs exit score per dimension), with a legend.

    `labels_above` (for a phone: draw it `width=360`): each category's label on its own line above
    its bars, the bars over the whole width less the room for the value printed right of the bar,
    so the chart scales little and its 12 px labels stay readable at 360 px."""
    bar_h, gap = 14, 10
    label_h = 18 if labels_above else 0
    group_h = label_h + bar_h * len(series) + gap
    legend_h = 24
    bars_x = 0 if labels_above else label_width
    bar_space = width - bars_x - VALUE_ROOM
    body = []
    legend_step = max(1, (width - bars_x) // max(len(series), 1))
    for s, (name, _) in enumerate(series):
        x = bars_x + s * min(140, legend_step)
        body.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{x + 18}" y="15" {TEXT}>{escape(name)}</text>'
        )
    for c, category in enumerate(categories):
        y0 = legend_h + c * group_h
        if labels_above:
            body.append(f'<text x="0" y="{y0 + 13}" {TEXT}>{escape(category)}</text>')
        else:
            body.append(
                f'<text x="{label_width - 6}" y="{y0 + group_h / 2}" text-anchor="end" {TEXT}>{escape(category)}</text>'
            )
        for s, (_, values) in enumerate(series):
            body.append(_grouped_bar(values[c], x=bars_x, y=y0 + label_h + s * bar_h, bar_space=bar_space,
                                     max_value=max_value, colour=PALETTE[s % len(PALETTE)]))  # fmt: skip
    return _svg(width, legend_h + group_h * max(len(categories), 1), title, body)


VALUE_ROOM = 50  # right of the longest bar: the value label is printed outside the bar


def _grouped_bar(value: float | None, *, x: float, y: float, bar_space: float, max_value: float, colour: str) -> str:
    if value is None:
        return f'<text x="{x + 4}" y="{y + 11}" {TEXT}>—</text>'
    length = max(0.0, min(value, max_value)) / max_value * bar_space
    return (
        f'<rect x="{x}" y="{y}" width="{length:.1f}" height="12" fill="{colour}"/>'
        f'<text x="{x + length + 4:.1f}" y="{y + 11}" {TEXT}>{escape(_fmt(value))}</text>'
    )


def column_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    target: Sequence[float] | None = None,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Vertical columns per label (e.g. cumulative enrolments by month) with an optional target line."""
    left, bottom, top = 40, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    scale_max = max([*values, *(target or []), 1])
    n = max(len(values), 1)
    step = plot_w / n
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#6c757d"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" {TEXT}>{escape(_fmt(scale_max))}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" {TEXT}>0</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = value / scale_max * plot_h
        x = left + i * step
        body.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(label)}: {escape(_fmt(value))}</title></rect>'
        )
        if n <= 12 or i % max(1, n // 12) == 0:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" {TEXT}>'
                f"{escape(label)}</text>"
            )
    if target:
        points = " ".join(
            f"{left + i * step + step / 2:.1f},{top + plot_h - t / scale_max * plot_h:.1f}"
            for i, t in enumerate(target)
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[4]}" stroke-width="2"/>')
    return _svg(width, height, title, body)
