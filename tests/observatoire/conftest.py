from tests.support.browser import browser, journey, journey_settings  # noqa: F401 (fixtures of the browser test)
