"""stub"""

def plan_dip(session, path, clearance):
    raise NotImplementedError
