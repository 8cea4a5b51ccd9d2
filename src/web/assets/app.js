// Client behaviour: GOV.UK Frontend components and the session time-out warning.
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

const body = document.body
const idleSeconds = Number(body.dataset.sessionIdleSeconds)
const dialog = document.getElementById('timeout-dialog')

if (idleSeconds > 0 && dialog) {
  const warnBefore = Math.min(120, Math.floor(idleSeconds / 2))
  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const stay = dialog.querySelector('[data-timeout-stay]')
  const csrf = body.dataset.csrfToken
  let deadline = 0
  let warnTimer
  let tick

  const arm = () => {
    deadline = Date.now() + idleSeconds * 1000
    clearTimeout(warnTimer)
    warnTimer = setTimeout(warn, (idleSeconds - warnBefore) * 1000)
  }

  // Called once the server says the session has ended (its own idle expiry ends it) or cannot be
  // asked: /timed-out signs nobody out (a GET changes nothing), it only leads to the sign-in page
  // that says why. Signing out on purpose is the dialog's POST to /sign-out.
  // Once only: a second navigation would cancel the first after its response had already
  // cleared the signed-in cookie, and the sign-in page would no longer say why.
  let leaving = false
  const signOut = () => {
    clearInterval(tick)
    if (leaving) return
    leaving = true
    window.location.href = '/timed-out'
  }

  const render = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
    if (left === 0) {
      signOut()
      return
    }
    const minutes = Math.floor(left / 60)
    const seconds = left % 60
    countdown.textContent = minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'} ${seconds} seconds` : `${seconds} seconds`
  }

  const warn = () => {
    render()
    dialog.showModal()
    stay.focus()
    tick = setInterval(render, 1000)
  }

  stay.addEventListener('click', async () => {
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
      credentials: 'same-origin',
    })
    if (!response.ok) {
      signOut()
      return
    }
    clearInterval(tick)
    dialog.close()
    arm()
  })

  dialog.addEventListener('cancel', (event) => event.preventDefault())
  arm()
}
