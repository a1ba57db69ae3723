# Empty dependencies file for test_models_basic.
# This may be replaced when dependencies are built.
