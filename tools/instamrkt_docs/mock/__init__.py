"""Mock stage: the REST and websocket APIs served from the specs' examples, for verify and
for providers' own integration work (`instamrkt-docs mock`)."""

from instamrkt_docs.mock.app import create_app
from instamrkt_docs.mock.log import Entry, MockLog
from instamrkt_docs.mock.rest import STANDARD_KEY_PREFIX
from instamrkt_docs.mock.server import running, serve

__all__ = ["STANDARD_KEY_PREFIX", "Entry", "MockLog", "create_app", "running", "serve"]
