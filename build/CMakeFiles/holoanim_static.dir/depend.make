# Empty dependencies file for holoanim_static.
# This may be replaced when dependencies are built.
