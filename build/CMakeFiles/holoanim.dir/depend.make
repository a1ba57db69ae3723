# Empty dependencies file for holoanim.
# This may be replaced when dependencies are built.
