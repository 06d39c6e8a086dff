"""`python -m instamrkt_docs`."""

import sys

from instamrkt_docs.cli import main

sys.exit(main())
