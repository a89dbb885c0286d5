/**
 * The small example project shipped with Blockspin (the paper's template at a size that runs in
 * under a minute). A first launch opens it as an untitled copy; the hosts look for it in
 * `examples/` of the installed app (Electron: inside the app archive; web host: the package).
 */
export const EXAMPLE_FILE = 'paper-small.blockspin'
