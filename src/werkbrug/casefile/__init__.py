"""The case file: the contact journal and the documents of a trajectory.

Other apps import only `services.py` and `selectors.py`.
"""
