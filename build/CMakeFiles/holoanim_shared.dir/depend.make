# Empty dependencies file for holoanim_shared.
# This may be replaced when dependencies are built.
