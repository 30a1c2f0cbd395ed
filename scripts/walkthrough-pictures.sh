#!/usr/bin/env bash
# Makes the pictures of the walkthrough in docs/guide.md (the README's tour shows them too) from
# the real window, so they can be refreshed whenever the window changes:
#
#   scripts/walkthrough-pictures.sh
#
# Each picture starts the release binary afresh (scripts/screenshot.sh: a virtual display and a
# throw-away HOME, so no saved state leaks in) on a preset from presets/, clicks through the
# window at 1600 x 1000 as a user would, and writes assets/walkthrough/N-NAME.png. The clicks
# are the window's own positions at that size: if a picture shows the wrong view after a
# layout change, move the coordinate here.
set -euo pipefail
cd "$(dirname "$0")/.."
shot=scripts/screenshot.sh
out=assets/walkthrough
mkdir -p "$out"

# Where things are at 1600 x 1000.
central_tab_penalty_matrix=857,43
central_tab_outcomes=1025,43
central_tab_simulator=1106,43
right_tab_loss_and_export=1440,37
scenario_case_11=150,543
central_panel=1000,600
suggest_weights_button=1087,956

# 1. The hand cases: case 11, a debris sample called class1 with confidence, and its loss
#    against the debris weight.
"$shot" "$out/1-hand-cases.png" --click "$scenario_case_11" -- presets/notebook.ron

# 2. The penalty matrix and the decision rule the weights imply.
"$shot" "$out/2-penalty-matrix.png" --click "$central_tab_penalty_matrix" -- presets/notebook.ron

# 3. The validation outputs (presets/validation-example.npz, which
#    scripts/make_validation_data.py writes; the preset names it, so opening it loads it):
#    the FP/FN trade along the debris weight and the suggested weights.
"$shot" "$out/3-outcomes.png" --click "$central_tab_outcomes" --wait 2 \
    --scroll "$central_panel,15" --click "$suggest_weights_button" --wait 3 \
    --scroll "$central_panel,15" -- presets/notebook-validation.ron

# 4. The simulator: small models retrained at every debris weight beside the preview.
"$shot" "$out/4-simulator.png" --click "$central_tab_simulator" --wait 5 -- presets/notebook.ron

# 5. The export to PyTorch.
"$shot" "$out/5-export.png" --click "$right_tab_loss_and_export" -- presets/notebook.ron

echo "walkthrough-pictures.sh: wrote $out/*.png"
