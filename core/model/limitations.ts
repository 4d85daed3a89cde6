/**
 * The limitation every card of a model trained on RadLocal's phantoms carries, and the viewer
 * shows as its banner. Its own module (no schema library): the page imports it at start-up.
 */
export const DEFAULT_LIMITATIONS = 'Synthetic training data — not for clinical use.';
