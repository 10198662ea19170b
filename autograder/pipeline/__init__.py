"""The grading command (``python -m autograder grade``), in steps that nbgrader can replay.

Modules, in the order a run uses them:

- workspace  OUT as an nbgrader course root: config, gradebook, release, job template
- intake     submissions -> OUT/submitted/ (renamed, missing, invalid, deleted cells)
- autograde  one ``nbgrader autograde`` job per submission, in parallel, resumable
- runner     nbgrader subprocesses: environment, logs, wall-clock limit
- messages   why a test cell lost points, from the autograded notebook
- merge      job gradebooks -> OUT/gradebook.db
- tamper_hook  zero the cells the tamper scan (autograder.tamper) flags
- reports    scores.csv and the summary
- grade      the run, step by step
- cli        ``python -m autograder {grade,release,demo}``
"""
