#!/usr/bin/env bash
# Makes the pictures of the walkthrough in docs/guide.md (the README's tour shows them too) from
# the real window, so they can be refreshed whenever the window changes:
#
#   scripts/walkthrough-pictures.sh
#
# Each picture starts the release binary afresh (scripts/screenshot.sh: a virtual display and a
# throw-away HOME, so no saved state leaks in) on a preset from presets/, clicks through the
# window at 1600 x 1000 as a user would, and writes assets/walkthrough/N-NAME.png (and the
# README's first picture, assets/window-1366x768.png, at 1366 x 768). The clicks
# are the window's own positions at that size: if a picture shows the wrong view after a
# layout change, move the coordinate here.
set -euo pipefail
cd "$(dirname "$0")/.."
shot=scripts/screenshot.sh
out=assets/walkthrough
mkdir -p "$out"

# Where things are at 1600 x 1000, in the workspaces' starting layouts.
tab_penalty_matrix=475,64
tab_loss_and_export=177,683
tab_suggested_weights=190,64
scenario_case_11=150,645
loss_heading=30,712
suggest_weights_button=61,131

# 0. The README's first picture: the Your model workspace on a 1366 x 768 laptop.
"$shot" assets/window-1366x768.png --size 1366x768 --wait 3 \
    -- presets/notebook-validation.ron --workspace outcomes

# 1. The hand cases: case 11, a debris sample called class1 with confidence, and its loss
#    against the debris weight.
"$shot" "$out/1-hand-cases.png" --click "$scenario_case_11" -- presets/notebook.ron

# 2. The penalty matrix and the decision rule the weights imply.
"$shot" "$out/2-penalty-matrix.png" --click "$tab_penalty_matrix" -- presets/notebook.ron

# 3. The validation outputs (presets/validation-example.npz, which
#    scripts/make_validation_data.py writes; the preset names it, so opening it loads it) in the
#    Your model workspace: the FP/FN trade along the debris weight and the suggested weights.
"$shot" "$out/3-outcomes.png" --wait 2 --click "$tab_suggested_weights" \
    --click "$suggest_weights_button" --wait 3 \
    -- presets/notebook-validation.ron --workspace outcomes

# 4. The simulator: small models retrained at every debris weight beside the preview.
"$shot" "$out/4-simulator.png" --wait 5 -- presets/notebook.ron --workspace simulator

# 5. The export to PyTorch: the Loss & export pane, maximised (Ctrl+Shift+M over it).
"$shot" "$out/5-export.png" --click "$tab_loss_and_export" --click "$loss_heading" \
    --key ctrl+shift+m -- presets/notebook.ron

echo "walkthrough-pictures.sh: wrote assets/window-1366x768.png and $out/*.png"
