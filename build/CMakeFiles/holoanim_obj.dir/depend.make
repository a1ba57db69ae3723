# Empty dependencies file for holoanim_obj.
# This may be replaced when dependencies are built.
