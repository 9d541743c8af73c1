/** Implementation of the auto-configuration; not API, may change in any release. */
package dev.phyxius.spring.autoconfigure.internal;
