"""Public checks: run them after each exercise for immediate feedback.

They test known values and properties and say exactly what failed (input, expected, got).
Passing them is necessary, not sufficient: hidden tests with fresh inputs run at grading time.
They work anywhere, Google Colab included, without nbgrader.
"""
