"""The members' survey: a versioned questionnaire, survey waves run by a space, its report and the network's figures.

See docs/IMPACT.md for the questions and their sources, and README ("Members' survey") for the commands and the
data kept.
"""
