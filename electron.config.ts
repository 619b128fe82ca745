// electron-builder configuration: signed installers for the fleet, only the built app inside, Electron fuses locked.
import type { Configuration } from 'electron-builder';
import { APP_ID, PRODUCT_NAME } from './src-main/app-identity.ts';

const MAINTAINER = 'Outrider contributors <maintainers@outrider.invalid>';

const config: Configuration = {
  appId: APP_ID,
  productName: PRODUCT_NAME,
  copyright: 'Copyright © Outrider contributors',
  // One name pattern for every artifact, so a fleet's deployment tooling can find a release by version.
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  directories: { output: 'release', buildResources: 'build' },
  // Only the built app: no sources, tests, maps or dotfiles. The bundles carry their dependencies,
  // so node_modules is left out too (electron-builder would otherwise copy the "dependencies").
  files: [
    'dist/main/**/*',
    'dist/switch/**/*',
    'dist/renderer/**/*',
    // A shipped drive drill's route, read from disk when the drive starts (src-switch/drill/drive-route.ts).
    'drills/routes/**/*.nmea',
    'package.json',
    '!**/*.map',
    '!**/node_modules/**',
  ],
  asar: true,
  // Native module rebuilds are for apps that load native modules; this one bundles plain JavaScript.
  npmRebuild: false,
  // Updates come only from the agency's own server, named by updateUrl in the profile at run time
  // (src-main/update). This placeholder makes electron-builder write latest*.yml next to the installers
  // (what the agency hosts) and app-update.yml into the app (where electron-updater reads its cache
  // folder name); its URL is never contacted. Builds run with --publish never: nothing is uploaded.
  publish: { provider: 'generic', url: 'https://updates.invalid/outrider' },
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the signed binary into a general-purpose Node.
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    // With onlyLoadAppFromAsar, nothing but the validated app.asar can run as the app.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
  win: {
    icon: 'build/icon.png',
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ],
  },
  nsis: {
    // Installed once per car for every officer who logs on to it.
    perMachine: true,
    oneClick: false,
    allowToChangeInstallationDirectory: false,
    createDesktopShortcut: true,
    include: 'build/installer.nsh',
  },
  msi: { perMachine: true },
  mac: {
    icon: 'build/icon.png',
    category: 'public.app-category.productivity',
    // No zip for electron-updater: macOS terminals are updated by MDM (see inAppUpdatesFor in src-main/update).
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  linux: {
    icon: 'build/icon.png',
    target: ['AppImage', 'deb', 'rpm'],
    category: 'Office',
    maintainer: MAINTAINER,
    vendor: 'Outrider',
    synopsis: 'Offline-first mobile data terminal for patrol cars',
    // The deb/rpm Homepage comes from package.json "homepage"; dist:check makes sure it is there.
  },
};

export default config;
