"""Settings every test shares."""

from hypothesis import settings

# Hypothesis's default 200 ms deadline per example is a timing threshold: on a loaded 2-core CI machine a first
# example (lazy imports, warm-up) overruns it and fails a test whose behaviour is right. Speed is measured in bench/.
settings.register_profile("omnicase", deadline=None)
settings.load_profile("omnicase")
