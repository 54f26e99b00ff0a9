// What a settings command adds when no daemon runs: the change is in the saved file and
// the next `headroom start` runs with it.
export const notRunningNote = (live: boolean, what = 'saved for the next headroom start') => (live ? '' : ` (headroom is not running: ${what})`);
