"""All files' facts as one program: the parts of linking that need the whole tree.

valueflow   the points-to fixpoint over the summaries' value-flow facts
"""
