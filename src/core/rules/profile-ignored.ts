import type { Evidence, Fix } from '../model';
import { relative, dirname } from '../text/paths';
import type { Rule } from './rule';
import docs from './profile-ignored.md';

export const profileIgnored: Rule = {
  meta: {
    id: 'profile-ignored',
    title: 'Profile in a workspace member is ignored',
    category: 'build',
    defaultSeverity: 'warning',
    summary: "A [profile.*] table in a workspace member's manifest, which cargo ignores.",
    docs,
    sources: ['https://doc.rust-lang.org/cargo/reference/profiles.html', 'https://doc.rust-lang.org/cargo/reference/workspaces.html'],
    fix: 'unsafe',
    measurable: false,
  },
  check(context) {
    const model = context.workspace.cargo.build;
    if (!model) return;
    for (const manifest of model.manifests) {
      if (manifest.workspaceRoot === manifest.path || manifest.profileTables.length === 0) continue;
      const rootDocument = model.documents.get(manifest.workspaceRoot);
      const rootSpan = rootDocument?.table(['workspace'])?.span;
      const evidence: Evidence[] = [
        {
          message: 'the workspace root, whose profiles apply',
          ...(rootSpan ? { location: { file: manifest.workspaceRoot, span: rootSpan } } : {}),
        },
      ];
      const rootRelative = relative(dirname(manifest.path), manifest.workspaceRoot);
      for (const table of manifest.profileTables) {
        const fixes: Fix[] = table.removal
          ? [
              {
                title: `Remove the ignored [profile.${table.name}] (after moving its settings to ${rootRelative})`,
                applicability: 'unsafe',
                changes: [{ file: manifest.path, edits: [{ ...table.removal, newText: '' }] }],
              },
            ]
          : [];
        context.report({
          message: `[profile.${table.name}] in a workspace member is ignored; cargo reads profiles only from the workspace root`,
          location: { file: manifest.path, span: table.keySpan },
          evidence,
          fixes,
        });
      }
    }
  },
};
