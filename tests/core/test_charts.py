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
