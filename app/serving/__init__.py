"""Running the app in production: the server's settings, request logs, health checks."""
