/**
 * <b>Internal</b>: the rules' shared base and their adapter over JMC's item collections. Not
 * exported; not API; may change in any release.
 */
package dev.phyxius.jmc.internal;
