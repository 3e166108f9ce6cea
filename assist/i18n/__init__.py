"""Languages: the Babel extractor for form definitions and locale-aware formatting of dates, numbers and money.

Everything here is plain Python (Babel, no Flask), so the engine, the web layer and the printouts share it.
"""
