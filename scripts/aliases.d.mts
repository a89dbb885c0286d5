/** Alias → folder, relative to the repository root: `@core/x` is `src-core/x`. */
export declare const aliasDirs: { readonly '@core': 'src-core'; readonly '@shared': 'src-main/shared' }
/** The aliases as absolute folders, for Vite's `resolve.alias`. */
export declare function viteAliases(base?: string): Record<string, string>
