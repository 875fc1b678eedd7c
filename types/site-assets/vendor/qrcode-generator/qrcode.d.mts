// Types of assets/vendor/qrcode-generator/qrcode.mjs in the built site: the pinned
// qrcode-generator's dist/qrcode.mjs, which sitebuild/prepare.py copies there from
// node_modules. The types are the package's own (its dist/qrcode.d.ts, a script that declares
// the global QRCodeFactory); tsconfig.json's rootDirs makes docs/assets/js/print-qr.js's
// relative import land here.
/// <reference path="../../../../node_modules/qrcode-generator/dist/qrcode.d.ts" />

declare const qrcode: QRCodeFactory;
export default qrcode;
