"""Studios made up to look at and to measure on: ``demo`` (the small studio ``darkroom demo``
loads to explore Darkroom with) and ``scale`` (the large studio ``darkroom seed-scale`` writes in
bulk for the benchmarks).

They stand apart from the feature apps because they use nearly all of them: the demo goes through
the studio's, production's, messaging's and tracking's services, and the large studio writes the
records of every app at once. Nothing in the product imports them.
"""
