"""The sandbox a submission's kernel runs in (trusted side: it builds the walls).

- ``limits``   resource limits per assignment (memory, CPU, processes, file size, output)
- ``bwrap``    the bubblewrap command line: namespaces, read-only view, clean environment
- ``kernel``   a jupyter_client kernel manager that starts the kernel inside the sandbox
- ``execute``  nbgrader's Execute preprocessor, sandboxed, wired to the trusted scorer

Nothing in this package is importable from inside the sandbox: the sandbox's view of the
filesystem holds the Python environment, the student package ``course`` and a scratch folder.
"""
