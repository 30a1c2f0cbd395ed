//! The workspaces: which one is shown, and each one's tiled arrangement of panes
//! ([`egui_tiles`]), saved between launches as one part of [`super::state::State`].
//!
//! A workspace's arrangement starts as `None` and is laid out for the window's width the
//! first time it is shown (and again after View > Reset layout), so the class weights keep
//! their compact width on any screen while the answer takes the rest.

use eframe::egui;
use egui_tiles::{Container, Linear, LinearDir, Tile, TileId, Tiles, Tree};
use serde::{Deserialize, Serialize};

use crate::command::{Pane, Workspace};

/// Every workspace's arrangement, and which is shown; one part of the saved state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspaces {
    /// The workspace shown.
    pub current: Workspace,
    /// The hand cases' arrangement, once laid out.
    pub hand_cases: Layout,
    /// The user's model's arrangement, once laid out.
    pub outcomes: Layout,
    /// The simulator's arrangement, once laid out.
    pub simulator: Layout,
}

/// One workspace's arrangement: its tiles, and the pane that fills it, if one does.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Layout {
    /// The tiles; `None` until first shown, and after a reset.
    pub tree: Option<Tree<Pane>>,
    /// The pane maximised to fill the workspace.
    pub maximised: Option<Pane>,
}

/// The class weights' width in a new layout, in points: name, count, weight and share.
pub const CLASSES_WIDTH: f32 = 340.0;

impl Workspaces {
    /// The arrangement of `workspace`.
    #[must_use]
    pub fn layout(&self, workspace: Workspace) -> &Layout {
        match workspace {
            Workspace::HandCases => &self.hand_cases,
            Workspace::Outcomes => &self.outcomes,
            Workspace::Simulator => &self.simulator,
        }
    }

    /// The arrangement of `workspace`, to change.
    pub fn layout_mut(&mut self, workspace: Workspace) -> &mut Layout {
        match workspace {
            Workspace::HandCases => &mut self.hand_cases,
            Workspace::Outcomes => &mut self.outcomes,
            Workspace::Simulator => &mut self.simulator,
        }
    }

    /// The current workspace's arrangement, laid out for `width` points if it is not yet.
    pub fn current_laid_out(&mut self, width: f32) -> &mut Layout {
        let workspace = self.current;
        let layout = self.layout_mut(workspace);
        layout.add_missing(workspace);
        if layout.tree.is_none() {
            layout.tree = Some(default_tree(workspace, width));
        }
        layout
    }

    /// Shows `pane`: its workspace (the current one if it has it), its tab in front, and the
    /// layout restored if another pane fills it.
    pub fn show_pane(&mut self, pane: Pane, width: f32) {
        if !self.current.panes().contains(&pane) {
            self.current = pane.workspace();
        }
        let layout = self.current_laid_out(width);
        if layout.maximised.is_some_and(|shown| shown != pane) {
            layout.maximised = None;
        }
        if let Some(tree) = layout.tree.as_mut()
            && let Some(tile) = tree.tiles.find_pane(&pane)
        {
            tree.make_active(|id, _| id == tile);
        }
    }

    /// Whether `pane` is drawn this frame: in the current workspace, in front of its tabs
    /// (or filling the workspace).
    #[must_use]
    pub fn is_shown(&self, pane: Pane) -> bool {
        let layout = self.layout(self.current);
        if let Some(maximised) = layout.maximised {
            return maximised == pane;
        }
        if !self.current.panes().contains(&pane) {
            return false;
        }
        // Not laid out yet: what a new arrangement shows (its width does not change that).
        let Some(tree) = &layout.tree else {
            let tree = default_tree(self.current, 2.0 * CLASSES_WIDTH);
            return shows(&tree, pane);
        };
        shows(tree, pane)
    }
}

/// Whether `tree` draws `pane`: in front of its tabs.
fn shows(tree: &Tree<Pane>, pane: Pane) -> bool {
    tree.tiles
        .find_pane(&pane)
        .is_some_and(|tile| tree.active_tiles().contains(&tile))
}

impl Layout {
    /// Why this arrangement cannot be used for `workspace`: a pane twice, or one of another
    /// workspace (a layout from another version of weightbench). A pane missing is allowed:
    /// it is one that weightbench added since the layout was saved, and [`Self::add_missing`]
    /// puts it in.
    ///
    /// # Errors
    /// The panes are not exactly the workspace's.
    pub fn check(&self, workspace: Workspace) -> Result<(), String> {
        if let Some(maximised) = self.maximised
            && !workspace.panes().contains(&maximised)
        {
            return Err(format!(
                "{}: the pane {maximised:?} is not one of its panes",
                workspace.name()
            ));
        }
        let Some(tree) = &self.tree else {
            return Ok(());
        };
        let mut panes: Vec<Pane> = tree
            .tiles
            .tiles()
            .filter_map(|tile| match tile {
                Tile::Pane(pane) => Some(*pane),
                Tile::Container(_) => None,
            })
            .collect();
        let reachable = tree.root().is_some_and(|root| {
            let mut count = 0;
            count_panes(&tree.tiles, root, &mut count, 0);
            count == panes.len()
        });
        panes.sort_by_key(|pane| *pane as u8);
        let twice = panes.windows(2).any(|pair| pair[0] == pair[1]);
        let foreign = panes.iter().any(|pane| !workspace.panes().contains(pane));
        // A pane missing is one added since the layout was saved: `add_missing` puts it back.
        if twice || foreign || !reachable {
            return Err(format!(
                "{}: its panes are not {}",
                workspace.name(),
                workspace
                    .panes()
                    .iter()
                    .map(|pane| pane.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(())
    }
}

impl Layout {
    /// Adds the panes of `workspace` that this arrangement lacks (panes weightbench added since
    /// it was saved) as tabs beside the pane each belongs with; where that cannot be done, the
    /// workspace is laid out anew on its next use.
    pub fn add_missing(&mut self, workspace: Workspace) {
        let Some(tree) = &mut self.tree else {
            return;
        };
        for &pane in workspace.panes() {
            if tree.tiles.find_pane(&pane).is_some() {
                continue;
            }
            let beside = pane.beside().unwrap_or_else(|| workspace.main_pane());
            let parent = tree
                .tiles
                .find_pane(&beside)
                .and_then(|anchor| tree.tiles.parent_of(anchor));
            let Some(parent) = parent else {
                self.tree = None;
                return;
            };
            let id = tree.tiles.insert_pane(pane);
            if let Some(Tile::Container(container)) = tree.tiles.get_mut(parent) {
                container.add_child(id);
            }
        }
    }
}

/// Counts the panes under `tile`, refusing cycles by depth.
fn count_panes(tiles: &Tiles<Pane>, tile: TileId, count: &mut usize, depth: usize) {
    if depth > 64 {
        return;
    }
    match tiles.get(tile) {
        Some(Tile::Pane(_)) => *count += 1,
        Some(Tile::Container(container)) => {
            for &child in container.children() {
                count_panes(tiles, child, count, depth + 1);
            }
        }
        None => {}
    }
}

/// A new arrangement of `workspace` for a window `width` points wide: the class weights (and
/// what goes with them) in a column of [`CLASSES_WIDTH`] on the left, the workspace's answer
/// in the largest pane.
#[must_use]
pub fn default_tree(workspace: Workspace, width: f32) -> Tree<Pane> {
    let mut tiles = Tiles::default();
    let tabs = |tiles: &mut Tiles<Pane>, panes: &[Pane]| -> TileId {
        let children = panes.iter().map(|&pane| tiles.insert_pane(pane)).collect();
        tiles.insert_tab_tile(children)
    };
    let width = width.max(2.0 * CLASSES_WIDTH);
    let root = match workspace {
        Workspace::HandCases => {
            // The class weights, the scenario list and the inspector share the left column,
            // so the loss plot has the rest of the width.
            let classes = tabs(&mut tiles, &[Pane::Classes]);
            let scenarios = tabs(&mut tiles, &[Pane::Scenarios]);
            let inspector = tabs(
                &mut tiles,
                &[Pane::Scenario, Pane::Weights, Pane::LossAndExport],
            );
            let left = linear(
                &mut tiles,
                LinearDir::Vertical,
                &[(classes, 0.25), (scenarios, 0.42), (inspector, 0.33)],
            );
            let plots = tabs(
                &mut tiles,
                &[Pane::LossCurves, Pane::PenaltyMatrix, Pane::FpVsFn],
            );
            linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(left, CLASSES_WIDTH), (plots, width - CLASSES_WIDTH)],
            )
        }
        Workspace::Outcomes => {
            let setup = tabs(
                &mut tiles,
                &[
                    Pane::OutcomeSetup,
                    Pane::Costs,
                    Pane::Runs,
                    Pane::Suggestions,
                ],
            );
            let classes = tabs(&mut tiles, &[Pane::Classes]);
            let left = linear(
                &mut tiles,
                LinearDir::Vertical,
                &[(setup, 0.6), (classes, 0.4)],
            );
            let trade = tabs(&mut tiles, &[Pane::Trade]);
            let per_class = tabs(&mut tiles, &[Pane::PerClass]);
            let confusion = tabs(&mut tiles, &[Pane::Confusion]);
            let tables = linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(per_class, 0.55), (confusion, 0.45)],
            );
            let middle = linear(
                &mut tiles,
                LinearDir::Vertical,
                &[(trade, 0.65), (tables, 0.35)],
            );
            linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(left, CLASSES_WIDTH), (middle, width - CLASSES_WIDTH)],
            )
        }
        Workspace::Simulator => {
            let settings = tabs(&mut tiles, &[Pane::SimulatorSettings]);
            let classes = tabs(&mut tiles, &[Pane::Classes]);
            let left = linear(
                &mut tiles,
                LinearDir::Vertical,
                &[(settings, 0.55), (classes, 0.45)],
            );
            let plots = tabs(
                &mut tiles,
                &[
                    Pane::RetrainedFalsePositives,
                    Pane::RetrainedFalseNegatives,
                    Pane::Regions,
                ],
            );
            linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(left, CLASSES_WIDTH), (plots, width - CLASSES_WIDTH)],
            )
        }
    };
    Tree::new(egui::Id::unique((workspace.name(), "tiles")), root, tiles)
}

/// A horizontal or vertical container of `children`, each with its share of the space.
fn linear(tiles: &mut Tiles<Pane>, dir: LinearDir, children: &[(TileId, f32)]) -> TileId {
    let mut container = Linear::new(dir, children.iter().map(|&(id, _)| id).collect());
    for &(id, share) in children {
        container.shares.set_share(id, share);
    }
    tiles.insert_container(Container::Linear(container))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_layout_holds_each_of_its_workspaces_panes_once() {
        for workspace in Workspace::ALL {
            let layout = Layout {
                tree: Some(default_tree(workspace, 1366.0)),
                maximised: None,
            };
            assert_eq!(layout.check(workspace), Ok(()), "{workspace:?}");
            let other = Workspace::ALL
                .into_iter()
                .find(|&w| w != workspace)
                .unwrap_or_default();
            assert!(layout.check(other).is_err(), "{workspace:?} as {other:?}");
        }
    }

    #[test]
    fn a_layout_saved_before_a_pane_was_added_gets_it_beside_its_neighbour() {
        // Your model as laid out before the Runs pane: Outputs & settings with Suggested
        // weights beside it.
        let mut tiles = Tiles::default();
        let setup = [Pane::OutcomeSetup, Pane::Suggestions].map(|p| tiles.insert_pane(p));
        let setup = tiles.insert_tab_tile(setup.to_vec());
        let rest = [Pane::Classes, Pane::Trade, Pane::PerClass, Pane::Confusion]
            .map(|p| tiles.insert_pane(p));
        let rest = tiles.insert_tab_tile(rest.to_vec());
        let root = linear(
            &mut tiles,
            LinearDir::Horizontal,
            &[(setup, 340.0), (rest, 1000.0)],
        );
        let mut workspaces = Workspaces {
            current: Workspace::Outcomes,
            ..Workspaces::default()
        };
        workspaces.outcomes = Layout {
            tree: Some(Tree::new(egui::Id::unique("saved"), root, tiles)),
            maximised: None,
        };
        assert_eq!(workspaces.outcomes.check(Workspace::Outcomes), Ok(()));
        let layout = workspaces.current_laid_out(1366.0);
        let tree = layout.tree.as_ref().unwrap();
        let runs = tree.tiles.find_pane(&Pane::Runs).expect("added");
        let setup_tile = tree.tiles.find_pane(&Pane::OutcomeSetup).unwrap();
        assert_eq!(tree.tiles.parent_of(runs), tree.tiles.parent_of(setup_tile));
        assert_eq!(layout.check(Workspace::Outcomes), Ok(()));
        // The rest of the arrangement is kept: the trade plot still shares its tabs.
        let trade = tree.tiles.find_pane(&Pane::Trade).unwrap();
        let classes = tree.tiles.find_pane(&Pane::Classes).unwrap();
        assert_eq!(tree.tiles.parent_of(trade), tree.tiles.parent_of(classes));
    }

    #[test]
    fn showing_a_pane_switches_to_its_workspace_and_brings_its_tab_forward() {
        let mut workspaces = Workspaces::default();
        assert!(workspaces.is_shown(Pane::LossCurves));
        assert!(!workspaces.is_shown(Pane::PenaltyMatrix));
        workspaces.show_pane(Pane::PenaltyMatrix, 1366.0);
        assert!(workspaces.is_shown(Pane::PenaltyMatrix));
        assert!(!workspaces.is_shown(Pane::LossCurves));
        workspaces.show_pane(Pane::Regions, 1366.0);
        assert_eq!(workspaces.current, Workspace::Simulator);
        assert!(workspaces.is_shown(Pane::Regions));
        // The class weights are in every workspace: showing them stays where the user is.
        workspaces.show_pane(Pane::Classes, 1366.0);
        assert_eq!(workspaces.current, Workspace::Simulator);
    }

    #[test]
    fn a_maximised_pane_is_the_only_one_shown_until_another_is_asked_for() {
        let mut workspaces = Workspaces::default();
        workspaces.current_laid_out(1366.0).maximised = Some(Pane::Scenario);
        assert!(workspaces.is_shown(Pane::Scenario));
        assert!(!workspaces.is_shown(Pane::LossCurves));
        workspaces.show_pane(Pane::LossCurves, 1366.0);
        assert_eq!(workspaces.layout(Workspace::HandCases).maximised, None);
        assert!(workspaces.is_shown(Pane::LossCurves));
    }
}
