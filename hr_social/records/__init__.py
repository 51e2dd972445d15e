"""Records a Quebec public body must keep (A-2.1): the person's file, access requests by the
person, the retention schedule and destruction register, legal holds and the register of
confidentiality incidents. This package holds no domain code: each domain declares its record
types in ``registry`` from its own ``wiring.py``, as it declares menu entries and cards."""
