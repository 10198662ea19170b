"""The trusted scorer: runs the hidden checks against answers that live in a sandbox.

- ``specs``        which grading function and points each test cell gets, read from the
                   instructor's notebook (never from the kernel)
- ``proxy``        stand-ins for the student's objects; the channel's trusted end
- ``keras_models`` Keras models as data, rebuilt here (notebook 07)
- ``server``       the socket a sandboxed kernel hands its answers to, one session per cell

The interface with the sandbox is ``course.wire`` (plain data) and ``course.handin`` (what
the kernel does when asked). Nothing here is visible from inside the sandbox.
"""
