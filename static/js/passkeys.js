// Polish outcome of the passkey ceremonies run by django-otp-webauthn's scripts: a registered key
// reloads the security page (it lists the new key); a failure shows the page's own message.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
for (const name of ["otp_webauthn.register_failed", "otp_webauthn.verification_failed"]) {
  document.addEventListener(name, (event) => {
    if (event.detail && event.detail.fromAutofill) return;
    const message = document.getElementById("passkey-failed");
    if (message) message.classList.remove("d-none");
  });
}
