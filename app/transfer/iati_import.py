"""stub"""

def plan_iati(session, path, clearance):
    raise NotImplementedError
