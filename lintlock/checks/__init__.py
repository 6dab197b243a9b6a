"""Stage 4: the rules. Each rule is one class with a `code` and a `check(program)`.

Messages are tiny classes (as in pyflakes): the data of one finding, rendered
to text only once positions are known (they are computed late, for the files
that have findings).
"""

from .ll101 import SelfDeadlock
from .ll102 import LockOrderInversion
from .ll103 import BlockingWaitUnderLock
from .ll104 import AwaitUnderThreadLock
from .ll105 import UnguardedAcquire

RULES = (SelfDeadlock(), LockOrderInversion(), BlockingWaitUnderLock(), AwaitUnderThreadLock(), UnguardedAcquire())

__all__ = ["RULES"]
