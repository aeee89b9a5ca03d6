// electron-builder afterPack hook: flip Electron's fuses on the packaged binary so that it cannot be
// turned into a general Node runtime or debugged by environment variables.
const path = require('node:path');

exports.default = async function afterPack(context) {
  const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
  const name = context.packager.appInfo.productFilename;
  const ext = { darwin: '.app', win32: '.exe', linux: '' }[context.electronPlatformName] ?? '';
  const exe = context.electronPlatformName === 'darwin'
    ? path.join(context.appOutDir, `${name}.app`)
    : path.join(context.appOutDir, `${name}${ext}`);
  await flipFuses(exe, {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // The renderer loads from app://, never file://: file: pages get no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
};
