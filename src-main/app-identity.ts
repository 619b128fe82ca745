// Who the app is to the operating system: shared by the main process and the installer configuration.
/** Must equal the installer's appId: Windows shows toast notifications only for a known AppUserModelID. */
export const APP_ID = 'org.outrider.mdt';
export const PRODUCT_NAME = 'Outrider';
