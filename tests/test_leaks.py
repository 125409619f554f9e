"""tests/leaks.py, which the editions' and reader notebooks' leak tests share."""

from leaks import shows


def test_the_leak_tests_look_for_whole_numbers():
    assert shows("after 3000 epochs", "3000") and shows("E = 0.1000.", "0.1000")
    assert not shows("w = -0.3000", "3000") and not shows("-0.1000", "0.1000")
    assert not shows("30001", "3000") and not shows("0.10005", "0.1000")
    assert shows("Solution prose, as it is", "prose, as")


def test_a_whole_number_answer_is_looked_for_as_its_role_shows_it():
    # an int glued as sol_ and shown with "{glue:text}`sol_n:,`" reads 6,400, not 6,400.0
    import nbformat
    from leaks import answers

    record = {"name": "sol_n", "mime_prefix": "application/papermill.record/"}
    glued = nbformat.v4.new_code_cell("glue('sol_n', 6400)", metadata={"tags": ["solution"]})
    glued.outputs = [nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": "6400"},
        metadata={"scrapbook": record})]
    shown = nbformat.v4.new_markdown_cell(
        "```{solution} ex\nIt is {glue:text}`sol_n:,` bytes.\n```", metadata={"tags": ["solution"]})
    notebook = nbformat.v4.new_notebook(cells=[glued, shown])
    assert answers(notebook) == {"6,400"}
