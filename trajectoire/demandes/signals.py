"""Signals other apps listen to without this app knowing them (imports go down ARCHITECTURE.md's table).

`demande_changed(sender=Demande, demande=…, action=…)` is sent by the task worker (`tasks.announce`) after the
transaction that created or moved a demande commits (the FHIR API delivers its Subscriptions from it).
"""

from django.dispatch import Signal

demande_changed = Signal()
