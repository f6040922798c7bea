from core import charts


def test_bar_chart_escapes_labels_and_scales_bars():
    svg = charts.bar_chart("Test", [("<script>x</script>", 5), ("B", 10)], max_value=10)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "<title>Test</title>" in svg


def test_progress_chart_labels_value_target_and_percent():
    svg = charts.progress_chart("Postęp", [("OUT_AROPE", 30, 60), ("OUT_U25", 3, 0)])
    assert "30 / 60 (50%)" in svg
    assert "3 / —" in svg


def test_grouped_chart_marks_missing_values():
    svg = charts.grouped_bar_chart("Kompetencje", ["Komunikacja"], [("wejście", [2]), ("wyjście", [None])], max_value=5)
    assert "wejście" in svg and "—" in svg


def test_column_chart_draws_one_column_per_label_and_a_target_line():
    svg = charts.column_chart("Rekrutacja", ["01.2017", "02.2017"], [3, 7], target=[5, 10])
    assert svg.count("<rect") == 2
    assert "<polyline" in svg


def test_grouped_chart_for_a_phone_puts_labels_above_and_values_outside_the_bars():
    import re

    dimensions = ["Komunikacja interpersonalna i asertywność", "Gospodarowanie budżetem"]
    svg = str(
        charts.grouped_bar_chart(
            "Zmiana", dimensions, [("wejście", [2, 5]), ("wyjście", [4, None])], max_value=5, width=360,
            labels_above=True,
        )
    )  # fmt: skip
    assert 'viewBox="0 0 360 ' in svg and 'width="360"' in svg
    # each label starts at the left edge on its own line (no text-anchor="end" squeezed left of the bars)
    for label in dimensions:
        assert '<text x="0" y="' in svg and f">{label}</text>" in svg
    assert 'text-anchor="end"' not in svg
    bars = [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([\d.]+)" y="(?!4")[\d.]+" width="([\d.]+)" height="12"', svg)
    ]
    assert len(bars) == 3
    # the full score (5 of 5) ends VALUE_ROOM before the right edge: its value is outside the bar, inside the chart
    assert max(x + w for x, w in bars) == 360 - charts.VALUE_ROOM
    values = re.findall(r'<text x="([\d.]+)" y="[\d.]+" [^>]*>(\d)</text>', svg)
    assert {v for _x, v in values} == {"2", "4", "5"}
    assert all(float(x) + 10 <= 360 for x, _v in values)
    # label rows and bars do not overlap: every bar starts below the text line of its category
    label_ys = [float(y) for y in re.findall(r'<text x="0" y="([\d.]+)"', svg)]
    bar_ys = [float(y) for y in re.findall(r'<rect x="0" y="(?!4")([\d.]+)"', svg)]
    assert min(bar_ys) > min(label_ys)


def test_grouped_chart_default_layout_is_unchanged_for_the_pdf():
    svg = str(charts.grouped_bar_chart("Z", ["A"], [("w", [5])], max_value=5))
    assert 'text-anchor="end"' in svg and '<rect x="200" y="24" width="390.0"' in svg
