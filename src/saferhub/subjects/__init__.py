"""People, places, vehicles and groups that casework is about."""
