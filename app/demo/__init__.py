"""The demo register: real, sourced programmes shipped with the project."""
